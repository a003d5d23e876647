import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore
import Synchronization

/// Claims due runs and executes their handlers: a swift-service-lifecycle `Service`.
///
/// The worker claims in batches up to its free capacity, right after a wake-up (a notification of new work, a
/// finished run) or a poll, and runs each handler in a child task racing its timeout, a cancellation request and the
/// loss of its lease. One heartbeat per second renews the leases of all its runs in one statement; a worker that
/// cannot renew stops its handlers before their leases run out. On graceful shutdown it stops claiming, lets running
/// handlers finish within the grace period, then cancels the rest and releases their runs to other workers at once.
///
/// ```swift
/// var handlers = HandlerRegistry()
/// handlers.register("meta_sync") { context in JobOutcome(result: ["ok": .bool(true)]) }
/// let worker = try Worker(store: store, registry: registry, handlers: handlers)
/// let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public struct Worker: Service {
    let store: any JobStore
    let registry: JobTypeRegistry
    let handlers: HandlerRegistry
    /// How it claims and executes runs.
    public let configuration: WorkerConfiguration
    let clock: any WallClock
    let monotonicClock: MonotonicClock
    let observer: WorkerObserver?
    let logger: Logger
    let jobTypes: [String]

    /// Creates a worker for the job types that have a handler.
    ///
    /// - Parameters:
    ///   - clock: The wall clock for instants the worker stores (log lines, retry times).
    ///   - monotonicClock: The clock the worker waits on (intervals, timeouts, lease deadlines); a test can pass a
    ///     swift-clocks `TestClock` to move time without sleeping.
    ///   - observer: Receives a ``WorkerEvent`` as each attempt starts and ends.
    /// - Throws: ``SluiceError/Code/invalidArgument`` for a bad configuration; ``SluiceError/Code/unknownJobType``
    ///   for a handler whose job type is not registered.
    public init(
        store: any JobStore, registry: JobTypeRegistry, handlers: HandlerRegistry,
        configuration: WorkerConfiguration = WorkerConfiguration(), clock: any WallClock = SystemWallClock(),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.worker"),
        observer: WorkerObserver? = nil
    ) throws {
        try configuration.validate()
        for jobType in handlers.jobTypes { _ = try registry.require(jobType) }
        guard !handlers.jobTypes.isEmpty else {
            throw SluiceError.invalidArgument("handlers", "no handler is registered")
        }
        self.store = store
        self.registry = registry
        self.handlers = handlers
        self.configuration = configuration
        self.clock = clock
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.observer = observer
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.id)"
        self.logger = logger
        jobTypes = handlers.jobTypes
    }

    /// Runs until graceful shutdown (or cancellation).
    public func run() async throws {
        // Logged once running: in a service group, after its signal handlers are in place, so a SIGTERM from anyone
        // who saw this line is a graceful shutdown, not the default disposition's kill.
        logger.info(
            "Starting the worker",
            metadata: [
                "worker": "\(configuration.id)", "queues": "\(configuration.queues.joined(separator: ","))",
                "concurrency": "\(configuration.concurrency)",
            ])
        let runtime = WorkerRuntime(clock: monotonicClock)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { services in
                services.addTask { await heartbeatLoop(runtime) }
                services.addTask { await runtime.deadlines.run { runtime.tracker.all } }
                services.addTask { await logFlushLoop(runtime) }
                let claimer: (any BatchClaimer)? =
                    store.capabilities.claimsWithCompletions ? WorkerBatchClaimer(worker: self, runtime: runtime) : nil
                services.addTask { await runtime.completions.run(store: store, logger: logger, claimer: claimer) }
                services.addTask {
                    try? await store.listenForWork(queues: configuration.queues) { runtime.wake.signal() }
                }
                // A discarding group frees each run's task as soon as it ends; a plain task group would keep every
                // finished child until the worker stops.
                await withDiscardingTaskGroup { runs in
                    await claimLoop(runtime, runs: &runs)
                    await drain(runtime)
                }
                services.cancelAll()
            }
            try? await store.removeWorker(id: configuration.id)
        } onGracefulShutdown: {
            runtime.beginShutdown()
        }
    }

    private var pollInterval: Duration {
        configuration.pollInterval ?? (store.capabilities.supportsNotifications ? .seconds(1) : .milliseconds(100))
    }

    /// Claims while not shutting down: as many runs as there are free slots, then waits for a wake-up, a free
    /// slot, the next due run, or the poll interval. Runs the completion batcher claimed are started first.
    private func claimLoop(_ runtime: WorkerRuntime, runs: inout DiscardingTaskGroup) async {
        var failingSince: MonotonicClock.Instant?
        while !runtime.isShuttingDown && !Task.isCancelled {
            let handedOff = runtime.handoff.take()
            for claimed in handedOff { start(claimed.run, claimSentAt: claimed.sentAt, runtime, runs: &runs) }
            runtime.tracker.unreserve(handedOff.count)
            let free = runtime.tracker.reserve(capacity: configuration.concurrency)
            var claimed: [Run] = []
            if free > 0 {
                let claimSentAt = monotonicClock.now
                do {
                    claimed = try await withStoreDeadline { try await store.claimRuns(claimRequest(limit: free)) }
                    if let since = failingSince {
                        logger.notice(
                            "claiming resumed", metadata: ["after": "\(since.duration(to: monotonicClock.now))"])
                        failingSince = nil
                    }
                } catch {
                    runtime.tracker.unreserve(free)
                    // Logged once per outage, not once per poll.
                    if failingSince == nil {
                        failingSince = claimSentAt
                        logger.warning("claiming failed; retrying every poll", metadata: ["error": "\(error)"])
                    }
                    await runtime.wake.wait(upTo: pollInterval)
                    continue
                }
                for run in claimed { start(run, claimSentAt: claimSentAt, runtime, runs: &runs) }
            }
            runtime.tracker.unreserve(free)
            if !claimed.isEmpty && claimed.count == free {
                try? await monotonicClock.sleep(for: configuration.fetchCooldown)
                continue
            }
            await runtime.wake.wait(upTo: await idleWait(hasFreeSlots: free > claimed.count))
        }
        let handedOff = runtime.handoff.close()
        await release(handedOff.map(\.run))
        runtime.tracker.unreserve(handedOff.count)
    }

    /// A claim for up to `limit` runs of the worker's queues and job types.
    func claimRequest(limit: Int) -> ClaimRequest {
        ClaimRequest(
            workerID: configuration.id, queues: configuration.queues, jobTypes: jobTypes, limit: limit,
            leaseDuration: configuration.leaseDuration)
    }

    /// Starts executing a claimed run.
    private func start(
        _ run: Run, claimSentAt: MonotonicClock.Instant, _ runtime: WorkerRuntime, runs: inout DiscardingTaskGroup
    ) {
        guard let lease = run.lease else { return }
        EngineMetrics.recordPickup(of: run)
        let reporter = runtime.tracker.start(
            run.id, lease: lease, claimSentAt: claimSentAt, clock: clock, monotonicClock: monotonicClock,
            configuration: configuration)
        runs.addTask { await execute(run, reporter: reporter, runtime: runtime) }
    }

    /// Gives claimed runs that will not be started back to the queue at once, their attempts not counted (a run
    /// that cannot be given back is rescued when its lease runs out).
    func release(_ claimed: [Run]) async {
        for run in claimed {
            guard let lease = run.lease else { continue }
            do {
                _ = try await store.releaseRun(lease)
            } catch {
                logger.warning(
                    "a claimed run could not be given back; it is rescued when its lease runs out",
                    metadata: ["run": "\(run.id)", "error": "\(error)"])
            }
        }
    }

    /// How long to wait when nothing more is due: until the next scheduled run, at most the poll interval.
    private func idleWait(hasFreeSlots: Bool) async -> Duration {
        guard hasFreeSlots,
            let due = try? await withStoreDeadline({
                try await store.nextDueTime(queues: configuration.queues, jobTypes: jobTypes)
            })
        else { return pollInterval }
        let untilDue = Duration.seconds(max(0, due.timeIntervalSince(clock.now())))
        return min(pollInterval, untilDue + .milliseconds(1))
    }

    /// After shutdown began: waits for running handlers up to the grace period, then stops the rest.
    private func drain(_ runtime: WorkerRuntime) async {
        let deadline = monotonicClock.now.advanced(by: configuration.shutdownGracePeriod)
        while runtime.tracker.count > 0 && monotonicClock.now < deadline && !Task.isCancelled {
            await runtime.wake.wait(until: deadline)
        }
        runtime.tracker.stopAll(.shutdown)
    }
}

/// The state the worker's loops share while it runs.
final class WorkerRuntime: Sendable {
    let tracker = RunTracker()
    let handoff = ClaimHandoff()
    let wake: WakeSignal
    let completions: CompletionBatcher
    let deadlines: DeadlineWatch
    private let shuttingDown = Atomic<Bool>(false)

    init(clock: MonotonicClock) {
        wake = WakeSignal(clock: clock)
        completions = CompletionBatcher(clock: clock)
        deadlines = DeadlineWatch(clock: clock)
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    func beginShutdown() {
        shuttingDown.store(true, ordering: .releasing)
        wake.signal()
    }
}

extension Worker: CustomStringConvertible {
    /// The worker's identity and capacity: ServiceLifecycle logs services by their description, and the default one
    /// would print every handler's settings, secrets included.
    public var description: String {
        "Worker(id: \(configuration.id), queues: \(configuration.queues.joined(separator: ",")), "
            + "concurrency: \(configuration.concurrency))"
    }
}
