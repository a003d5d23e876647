import Foundation
import Logging
import SluiceCore
import SluiceStore

extension Worker {
    /// How one attempt ended.
    private enum Ending: Sendable {
        case succeeded(JobOutcome)
        case failed(String, retryable: Bool)
        case timedOut
        case deferred(RateLimitDeferral)
        case stopped(StopReason)

        var attemptEnding: AttemptEnding {
            switch self {
            case .succeeded: .succeeded
            case .failed: .failed
            case .timedOut: .timedOut
            case .deferred: .deferred
            case .stopped(.cancelRequested): .cancelled
            case .stopped(.shutdown): .released
            case .stopped(.leaseLost): .leaseLost
            }
        }
    }

    /// Executes one claimed run and records its outcome.
    func execute(_ run: Run, reporter: RunReporter, runtime: WorkerRuntime) async {
        defer {
            runtime.tracker.finish(run.id, reporter)
            runtime.wake.signal()
        }
        var logger = logger
        logger[metadataKey: "run"] = "\(run.id)"
        logger[metadataKey: "job_type"] = "\(run.jobType)"
        guard let type = registry[run.jobType], let handler = handlers[run.jobType] else { return }
        let started = monotonicClock.now
        // The timeout runs from here, before the handler starts, so that a test clock advanced once the handler is
        // running always passes it.
        let timeoutDeadline = started.advanced(by: type.timeout)
        observer?(.started(runID: run.id, attempt: run.attempt))
        // The attempt's start is recorded here; its end is recorded by the store with the run's outcome.
        if let started = DatasetEvent(
            jobType: run.jobType, brandID: run.brandID, runID: run.id, outcome: .attemptStarted, registry: registry)
        {
            await record(logger) { try await store.recordDatasetEvent(started) }
        }
        let ending: Ending
        var followUps: [ValidatedJob] = []
        do {
            let parameters = JobParameters(try type.schema.validate(run.parameters))
            let context = RunContext(
                run: run, parameters: parameters, reporter: reporter, registry: registry,
                rateLimits: RateLimits(store: store, clock: monotonicClock))
            ending = await race(handler, context, until: timeoutDeadline, reporter: reporter, runtime: runtime)
            followUps = context.pendingFollowUps
        } catch {
            ending = .failed("parameters no longer match the job type's schema: \(error.message)", retryable: false)
        }
        // The log says why an attempt ended badly, so a run's log (and its summary) never stops at its last step.
        switch ending {
        case .failed(let message, _): reporter.append(NewLogLine(at: clock.now(), level: .error, "failed: \(message)"))
        case .timedOut: reporter.append(NewLogLine(at: clock.now(), level: .error, "timed out after \(type.timeout)"))
        case .deferred(let deferral): reporter.append(NewLogLine(at: clock.now(), "\(deferral)"))
        case .succeeded, .stopped: break
        }
        // From here on the lease is renewed only while the outcome is being written, within a bounded grace: an
        // outcome that cannot be written by then is left to the rescuer, never held for ever by heartbeats.
        let givingUpAt = reporter.endHandler(grace: outcomeGrace)
        await flushLogs(of: reporter, logger)
        EngineMetrics.recordAttempt(
            of: run, outcome: ending.attemptEnding.rawValue, duration: started.duration(to: monotonicClock.now))
        let recorded = await recordOutcome(
            ending, of: run, type, followUps: followUps, givingUpAt: givingUpAt, reporter: reporter, runtime: runtime,
            logger)
        observer?(.ended(runID: run.id, attempt: run.attempt, ending: ending.attemptEnding, recorded: recorded))
    }

    /// Records how an attempt ended; returns whether the store took it.
    private func recordOutcome(
        _ ending: Ending, of run: Run, _ type: JobType, followUps: [ValidatedJob], givingUpAt: MonotonicClock.Instant,
        reporter: RunReporter, runtime: WorkerRuntime, _ logger: Logger
    ) async -> Bool {
        switch ending {
        case .succeeded(let outcome) where (outcome.rowsWritten ?? 0) < 0:
            return await recordFailure(
                run, type, message: "the handler reported a negative rows_written", retryable: true, timedOut: false,
                reporter: reporter, logger)
        case .succeeded(let outcome):
            let recorded = await runtime.completions.complete(
                CompletedRun(
                    lease: reporter.lease,
                    completion: RunCompletion(
                        result: outcome.result, rowsWritten: outcome.rowsWritten, followUps: followUps,
                        progressMessage: reporter.latestProgress?.message)),
                givingUpAt: givingUpAt)
            if !recorded { logger.warning("run finished after its lease was lost; the result was not recorded") }
            return recorded
        case .failed(let message, let retryable):
            return await recordFailure(
                run, type, message: message, retryable: retryable, timedOut: false, reporter: reporter, logger)
        case .timedOut:
            return await recordFailure(
                run, type, message: "timed out after \(type.timeout)", retryable: true, timedOut: true,
                reporter: reporter, logger)
        case .deferred(let deferral):
            return await record(logger) {
                _ = try await store.releaseRun(
                    reporter.lease, dueAt: deferral.until,
                    message: "waiting for rate limit \(deferral.limiter) (worker slot released until its turn)")
            }
        case .stopped(.cancelRequested):
            return await record(logger) { _ = try await store.finishCancelledRun(reporter.lease) }
        case .stopped(.shutdown):
            return await record(logger) { _ = try await store.releaseRun(reporter.lease) }
        case .stopped(.leaseLost):
            logger.warning("lease lost; the handler was stopped and the run is left to the rescuer")
            return false
        }
    }

    /// Records a failed or timed-out attempt: retried per the job type's policy while attempts remain, unless the
    /// failure is not `retryable`.
    private func recordFailure(
        _ run: Run, _ type: JobType, message: String, retryable: Bool, timedOut: Bool, reporter: RunReporter,
        _ logger: Logger
    ) async -> Bool {
        let decision = type.retryPolicy.decision(afterAttempt: run.attempt, at: clock.now())
        let retryAt: Date? = if retryable, case .retry(let at) = decision { at } else { nil }
        return await record(logger) {
            _ = try await store.failRun(
                reporter.lease, RunFailure(error: message, retryAt: retryAt, timedOut: timedOut))
        }
    }

    /// Runs the handler against its timeout (`deadline` on the monotonic clock), its lease and the stop signal; the
    /// first to finish decides. The handler is the only task: the deadlines are checked by the worker's
    /// ``DeadlineWatch`` and a stop request settles the ending directly, so an attempt costs no timer of its own.
    private func race(
        _ handler: any JobHandler, _ context: RunContext, until deadline: MonotonicClock.Instant,
        reporter: RunReporter, runtime: WorkerRuntime
    ) async -> Ending {
        let ending = FirstEnding<Ending>()
        let earliest = reporter.watch(timeout: deadline) { interruption in
            switch interruption {
            case .stopped(let reason): ending.settle(.stopped(reason))
            case .timedOut: ending.settle(.timedOut)
            case .leaseLost: ending.settle(.stopped(.leaseLost))
            }
        }
        runtime.deadlines.watch(earliest)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    ending.settle(.succeeded(try await handler.run(context)))
                } catch let deferral as RateLimitDeferral {
                    ending.settle(.deferred(deferral))
                } catch {
                    // A handler that gave up because its lease is running out looks like a failure; it is a lost
                    // lease. One that stopped because it was cancelled settles nothing unless nothing else did (the
                    // worker's task itself was cancelled).
                    ending.settle(
                        Task.isCancelled || reporter.leaseExpired()
                            ? .stopped(.leaseLost) : .failed(Self.describe(error), retryable: Self.isRetryable(error)))
                }
            }
            let decided = await ending.value
            reporter.endWatch()
            group.cancelAll()
            return decided
        }
    }

    /// Whether a failed attempt may be retried: not when the error says retrying cannot help.
    static func isRetryable(_ error: any Error) -> Bool {
        (error as? any RetryableError)?.isRetryable ?? true
    }

    /// An error as operators see it: the message of a SluiceError, else the error's description.
    static func describe(_ error: any Error) -> String {
        if let error = error as? SluiceError { return error.message }
        return String(describing: error)
    }

    /// Records an outcome; returns false for a refused record (lease lost) or a storage failure, which is logged
    /// (the rescuer takes over).
    @discardableResult
    private func record(_ logger: Logger, _ body: () async throws -> Void) async -> Bool {
        do {
            try await body()
            return true
        } catch {
            logger.warning("recording the run's outcome failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Writes a run's buffered log lines, one flush per run at a time (so the flush before the run's outcome also
    /// waits for a periodic one in flight); lines that cannot be written while the lease is held are kept for later.
    func flushLogs(of reporter: RunReporter, _ logger: Logger) async {
        await reporter.flushLock.withLock {
            let (lease, lines) = reporter.takeLogs()
            guard !lines.isEmpty else { return }
            do {
                try await store.appendLogs(lease, lines)
            } catch let error as SluiceError where error.code == .leaseLost {
                logger.warning("dropping \(lines.count) log lines: lease lost")
            } catch {
                reporter.restoreLogs(lines)
            }
        }
    }

    /// Renews the leases of running handlers once per heartbeat interval, sends progress, and stops handlers whose
    /// run was cancelled or lost. A handler whose lease runs out without renewal stops by itself (see
    /// ``DeadlineWatch``); a handler that has ended is no longer renewed. A failing heartbeat is
    /// logged once when the failures start and once when they stop.
    func heartbeatLoop(_ runtime: WorkerRuntime) async {
        let startedAt = clock.now()
        var failingSince: MonotonicClock.Instant?
        // Beats keep a fixed schedule (a slow heartbeat does not push the later ones back), and a test clock that
        // jumps ahead finds each beat's deadline already set.
        var nextBeat = monotonicClock.now
        while !Task.isCancelled {
            let (tracked, beat) = runtime.tracker.beginHeartbeat()
            let reporters = tracked.filter { $0.value.isRenewed }
            let progress = reporters.values.compactMap { $0.takeProgress() }
            let info = WorkerInfo(
                id: configuration.id, host: ProcessInfo.processInfo.hostName,
                pid: Int(ProcessInfo.processInfo.processIdentifier), queues: configuration.queues,
                concurrency: configuration.concurrency, startedAt: startedAt)
            let sentAt = monotonicClock.now
            do {
                let result = try await withStoreDeadline {
                    try await store.heartbeatWorker(
                        WorkerHeartbeat(
                            worker: info, leaseDuration: configuration.leaseDuration,
                            leases: reporters.values.map(\.lease), progress: progress))
                }
                if let since = failingSince {
                    logger.notice(
                        "heartbeats resumed", metadata: ["after": "\(since.duration(to: monotonicClock.now))"])
                    failingSince = nil
                }
                let renewed = Dictionary(uniqueKeysWithValues: result.leases.map { ($0.runID, $0) })
                for (runID, reporter) in reporters {
                    if let lease = renewed[runID] {
                        reporter.renew(lease, sentAt: sentAt)
                        if result.cancelRequested.contains(runID) { reporter.stop(.cancelRequested) }
                    } else if beat > reporter.claimedAtBeat {
                        reporter.stop(.leaseLost)
                    }
                }
            } catch {
                if failingSince == nil {
                    failingSince = sentAt
                    logger.warning(
                        "heartbeat failed; handlers stop when their leases run out unless a heartbeat gets through",
                        metadata: ["error": "\(error)"])
                }
            }
            nextBeat = nextBeat.advanced(by: configuration.heartbeatInterval)
            let now = monotonicClock.now
            // After a stall (a slow heartbeat, a paused process) the next beat is an interval away: no burst.
            if nextBeat < now { nextBeat = now.advanced(by: configuration.heartbeatInterval) }
            try? await monotonicClock.sleep(until: nextBeat)
        }
    }

    /// How long after a handler ended its lease is still renewed while the outcome is written: three leases, at
    /// least a minute (one full attempt at the store's deadline and a retry).
    var outcomeGrace: Duration { max(configuration.leaseDuration * 3, .seconds(60)) }

    /// Runs one of the worker's light, frequent store operations (heartbeat, claim, next due time) with a deadline of
    /// half a lease, at least 5 seconds: a database that does not answer by then is treated as unreachable (its
    /// connection is closed), and the loop goes on. (A loaded machine can take seconds over a healthy statement, so
    /// the floor keeps short test leases from failing them; a lease that runs out meanwhile stops its handler by
    /// itself.) Outcomes and logs, which may write much more (a completion with 500 follow-ups), keep the store's own
    /// deadline.
    func withStoreDeadline<T: Sendable>(_ operation: () async throws -> T) async rethrows -> T {
        let deadline = max(configuration.leaseDuration / 2, .seconds(5))
        return try await StoreDeadline.$timeout.withValue(deadline) { try await operation() }
    }

    /// Writes buffered log lines of all running handlers every flush interval.
    func logFlushLoop(_ runtime: WorkerRuntime) async {
        while !Task.isCancelled {
            try? await monotonicClock.sleep(for: configuration.logFlushInterval)
            for reporter in runtime.tracker.all { await flushLogs(of: reporter, logger) }
        }
    }
}
