import Foundation
import SluiceCore
import SluiceStore
import Synchronization

/// What a handler gets for one attempt: the run, its validated parameters, and ways to report progress, write log
/// lines and notice cancellation.
///
/// Progress is sent with the worker's next heartbeat; log lines are buffered and written in batches (and before the
/// run's outcome is recorded), so both are cheap to call often.
public final class RunContext: Sendable {
    /// The run being executed (its `attempt` is this attempt's number).
    public let run: Run
    /// The parameters, validated against the job type's current schema.
    public let parameters: JobParameters
    let reporter: RunReporter
    private let registry: JobTypeRegistry
    private let rateLimits: RateLimits
    private let followUps = Mutex<[ValidatedJob]>([])
    private let lastFraction = Mutex<Double>(0)

    init(
        run: Run, parameters: JobParameters, reporter: RunReporter, registry: JobTypeRegistry, rateLimits: RateLimits
    ) {
        self.run = run
        self.parameters = parameters
        self.reporter = reporter
        self.registry = registry
        self.rateLimits = rateLimits
    }

    /// Takes a token of the shared rate limiter `limiter` before a request to an outside API. While it waits, the
    /// run's progress message says so; the wait ends early when the attempt should stop.
    ///
    /// By default the run waits as long as needed, holding its worker slot: right for a run that has done work it
    /// would lose by starting again (a scrape between its pages). A run that loses nothing by starting again (one
    /// download) passes `releasingSlotAfter`: when the next token is further away than that, the run is given back
    /// to the queue until its turn at the limiter, its slot freed for work that can run and its attempt not counted
    /// (the call throws ``RateLimitDeferral``; let it propagate).
    ///
    /// ```swift
    /// try await context.acquireToken("meta_ad_render", releasingSlotAfter: .seconds(2))
    /// ```
    /// - Throws: `CancellationError` when the attempt should stop (see ``isCancelled``);
    ///   ``SluiceError/Code/notFound`` for a limiter that is not configured; ``RateLimitDeferral``.
    public func acquireToken(_ limiter: String, releasingSlotAfter longestWait: Duration? = nil) async throws {
        try await rateLimits.acquire(
            limiter, releasingSlotAfter: longestWait, isCancelled: { [self] in isCancelled }
        ) { wait in
            let seconds = wait.seconds
            progress(
                lastFraction.withLock { $0 },
                "waiting for rate limit \(limiter) (next request in \(seconds.formatted(.number.precision(.fractionLength(1)))) s)"
            )
        }
    }

    /// Enqueues a follow-up job atomically with this run's success: it is created in the same transaction that
    /// records the run as succeeded, and never if the attempt fails, times out, is cancelled or loses its lease.
    ///
    /// ```swift
    /// for ad in newAds {
    ///     try context.enqueue(JobRequest(brandID: context.run.brandID, jobType: "asset_download",
    ///                                    parameters: ["ad_id": .string(ad.id)]))
    /// }
    /// ```
    /// - Throws: the request's validation error at once (``SluiceError/Code/unknownJobType``,
    ///   ``SluiceError/Code/invalidParameters``, …), so the handler can react to it;
    ///   ``SluiceError/Code/invalidArgument`` naming `brand_id` for a request of another brand than the run's.
    public func enqueue(_ request: JobRequest) throws(SluiceError) {
        // A run works for its brand: its follow-ups do too (and that brand exists, or the run is fenced).
        guard request.brandID == run.brandID else {
            throw .invalidArgument("brand_id", "a follow-up belongs to the run's brand")
        }
        let validated = try request.validated(against: registry, now: reporter.clock.now())
        followUps.withLock { $0.append(validated) }
    }

    /// The follow-ups enqueued so far, validated.
    var pendingFollowUps: [ValidatedJob] { followUps.withLock { $0 } }

    /// Reports progress: a fraction in 0...1 (clamped) and what is happening.
    public func progress(_ fraction: Double, _ message: String) {
        let fraction = min(1, max(0, fraction.isNaN ? 0 : fraction))
        lastFraction.withLock { $0 = fraction }
        reporter.report(RunProgress(runID: run.id, fraction: fraction, message: String(message.prefix(1000))))
    }

    /// A fencing token for the handler's own writes: the attempt number, unique per execution of this run and
    /// higher for every later execution (claims are durable, so a database crash cannot hand it out twice). A
    /// system that stores a run's output can refuse a write carrying a lower token than one it already accepted,
    /// so a stalled attempt that resumes cannot overwrite the work of the attempt that replaced it.
    public var fencingToken: Int { run.attempt }

    /// Writes a log line to the run's log.
    public func log(_ message: String, level: LogLevel = .info) {
        reporter.append(NewLogLine(at: reporter.clock.now(), level: level, message))
    }

    /// Whether the attempt should stop: its task was cancelled, or this worker's lease on the run is about to run
    /// out (within one heartbeat interval) without having been renewed.
    public var isCancelled: Bool { Task.isCancelled || reporter.leaseExpired() }

    /// Throws `CancellationError` when the attempt should stop (see ``isCancelled``).
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }
}

/// Why the worker stops a handler before it finishes.
enum StopReason: Sendable, Hashable {
    /// An operator asked to cancel the run.
    case cancelRequested
    /// The worker no longer holds the run's lease (it could not renew it, or the run was rescued).
    case leaseLost
    /// The worker is shutting down and the grace period is over.
    case shutdown
}

/// The worker's side of one executing run: its current lease, pending progress and log lines, and the stop signal.
final class RunReporter: Sendable {
    private struct State {
        var lease: RunLease
        /// Progress not yet sent by a heartbeat.
        var progress: RunProgress?
        /// The last progress reported, sent or not: the completion writes its message.
        var latestProgress: RunProgress?
        var logs: [NewLogLine] = []
        var stopReason: StopReason?
        /// Told once what interrupts the running handler; nil before it starts and after its attempt ended.
        var interrupt: (@Sendable (Interruption) -> Void)?
        /// When the running handler times out.
        var timeout: MonotonicClock.Instant?
        var renewedUntil: MonotonicClock.Instant?
        var localDeadline: MonotonicClock.Instant
    }

    let clock: any WallClock
    /// The clock lease deadlines are measured on.
    let monotonicClock: MonotonicClock
    /// The heartbeat sequence number when the run was claimed; heartbeats that began earlier cannot have renewed it.
    let claimedAtBeat: Int
    /// How long before its lease runs out the handler counts it as lost, so that it has stopped before another
    /// worker can take the run.
    let safetyMargin: Duration
    /// Serializes log writes, so that the final flush before the outcome waits for a periodic flush in flight.
    let flushLock = AsyncLock()
    private let state: Mutex<State>

    /// How long a lease lasts from the moment it was claimed or renewed.
    let leaseDuration: Duration

    init(
        lease: RunLease, clock: any WallClock, monotonicClock: MonotonicClock, claimedAtBeat: Int,
        safetyMargin: Duration, leaseDuration: Duration, claimSentAt: MonotonicClock.Instant
    ) {
        self.clock = clock
        self.monotonicClock = monotonicClock
        self.claimedAtBeat = claimedAtBeat
        self.safetyMargin = safetyMargin
        self.leaseDuration = leaseDuration
        state = Mutex(
            State(lease: lease, localDeadline: claimSentAt.advanced(by: leaseDuration - safetyMargin)))
    }

    var lease: RunLease { state.withLock { $0.lease } }

    /// Whether the lease runs out within the safety margin, measured on this process's monotonic clock from the
    /// moment the claim or the last renewing heartbeat was sent (so neither a wall clock's jumps nor a database
    /// clock's skew can make a worker believe it still holds a lease that another worker may already have taken).
    func leaseExpired() -> Bool { monotonicClock.now >= localDeadline }

    /// When this worker counts the lease as lost unless a heartbeat renews it first.
    var localDeadline: MonotonicClock.Instant { state.withLock { $0.localDeadline } }

    /// Takes a renewed lease from a heartbeat sent at `sentAt`: the database counted the lease from a moment no
    /// earlier than that, so this worker's own deadline for it is `sentAt` plus the lease less the safety margin.
    func renew(_ lease: RunLease, sentAt: MonotonicClock.Instant) {
        state.withLock { state in
            state.lease = lease
            state.localDeadline = sentAt.advanced(by: leaseDuration - safetyMargin)
        }
    }

    /// Marks the handler as ended: heartbeats renew its lease only for `grace` more, while its outcome is being
    /// written (a large completion can take seconds on a loaded database), never for ever. Returns the moment the
    /// renewals stop, when the worker gives the outcome up and leaves the run to the rescuer.
    func endHandler(grace: Duration) -> MonotonicClock.Instant {
        let until = monotonicClock.now.advanced(by: grace)
        state.withLock { $0.renewedUntil = until }
        return until
    }

    /// Whether heartbeats still renew the lease: the handler runs, or its outcome is within its grace.
    var isRenewed: Bool {
        let now = monotonicClock.now
        return state.withLock { $0.renewedUntil.map { now < $0 } ?? true }
    }

    /// What interrupts a running handler.
    enum Interruption: Sendable, Equatable {
        /// The worker asks it to stop.
        case stopped(StopReason)
        /// Its timeout passed.
        case timedOut
        /// Its lease ran out.
        case leaseLost
    }

    /// Starts watching the handler that is about to run: `interrupt` is told once of the first stop request, lost
    /// lease or passed `timeout` (both checked by the worker's ``DeadlineWatch``, which calls ``checkDeadline(now:)``),
    /// until ``endWatch()``. A stop requested before this is told at once. Returns the earlier of the two deadlines.
    func watch(
        timeout: MonotonicClock.Instant, interrupt: @escaping @Sendable (Interruption) -> Void
    ) -> MonotonicClock.Instant {
        let (stopped, lease): (StopReason?, MonotonicClock.Instant) = state.withLock { state in
            state.timeout = timeout
            if state.stopReason == nil { state.interrupt = interrupt }
            return (state.stopReason, state.localDeadline)
        }
        if let stopped { interrupt(.stopped(stopped)) }
        return min(timeout, lease)
    }

    /// Stops watching: the handler's attempt has ended.
    func endWatch() {
        state.withLock { state in
            state.interrupt = nil
            state.timeout = nil
        }
    }

    /// Interrupts the watched handler if its lease ran out within the safety margin by this worker's clock or its
    /// timeout passed, as of `now` (a lost lease wins over a timeout passed at the same time); else returns the
    /// earlier of the two deadlines. Nil when no handler is watched.
    func checkDeadline(now: MonotonicClock.Instant) -> MonotonicClock.Instant? {
        let (fire, next): ((@Sendable (Interruption) -> Void, Interruption)?, MonotonicClock.Instant?) = state.withLock
        {
            state in
            guard let interrupt = state.interrupt, let timeout = state.timeout else { return (nil, nil) }
            let ending: Interruption? =
                now >= state.localDeadline ? .leaseLost : now >= timeout ? .timedOut : nil
            guard let ending else { return (nil, min(timeout, state.localDeadline)) }
            state.interrupt = nil
            return ((interrupt, ending), nil)
        }
        if let (interrupt, ending) = fire { interrupt(ending) }
        return next
    }

    func report(_ progress: RunProgress) {
        state.withLock { state in
            state.progress = progress
            state.latestProgress = progress
        }
    }

    /// The last progress the handler reported. A completion writes its message even when a heartbeat took it
    /// already: that heartbeat's update may land after the completion, when the fence drops it.
    var latestProgress: RunProgress? { state.withLock { $0.latestProgress } }

    /// Progress not yet sent, for a heartbeat.
    func takeProgress() -> RunProgress? {
        state.withLock { state in
            defer { state.progress = nil }
            return state.progress
        }
    }

    func append(_ line: NewLogLine) { state.withLock { $0.logs.append(line) } }

    func takeLogs() -> (lease: RunLease, lines: [NewLogLine]) {
        state.withLock { state in
            defer { state.logs = [] }
            return (state.lease, state.logs)
        }
    }

    /// Puts lines that could not be written back in front of newer ones.
    func restoreLogs(_ lines: [NewLogLine]) { state.withLock { $0.logs.insert(contentsOf: lines, at: 0) } }

    /// Asks the handler to stop; the first reason wins.
    func stop(_ reason: StopReason) {
        let interrupt: (@Sendable (Interruption) -> Void)? = state.withLock { state in
            guard state.stopReason == nil else { return nil }
            state.stopReason = reason
            defer { state.interrupt = nil }
            return state.interrupt
        }
        interrupt?(.stopped(reason))
    }
}
