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
                services.addTask { await runtime.completions.run(store: store, logger: logger) }
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
    /// slot, the next due run, or the poll interval.
    private func claimLoop(_ runtime: WorkerRuntime, runs: inout DiscardingTaskGroup) async {
        var failingSince: MonotonicClock.Instant?
        while !runtime.isShuttingDown && !Task.isCancelled {
            let free = configuration.concurrency - runtime.tracker.count
            var claimed: [Run] = []
            if free > 0 {
                let claimSentAt = monotonicClock.now
                do {
                    claimed = try await withStoreDeadline {
                        try await store.claimRuns(
                            ClaimRequest(
                                workerID: configuration.id, queues: configuration.queues, jobTypes: jobTypes,
                                limit: free, leaseDuration: configuration.leaseDuration))
                    }
                    if let since = failingSince {
                        logger.notice(
                            "claiming resumed", metadata: ["after": "\(since.duration(to: monotonicClock.now))"])
                        failingSince = nil
                    }
                } catch {
                    // Logged once per outage, not once per poll.
                    if failingSince == nil {
                        failingSince = claimSentAt
                        logger.warning("claiming failed; retrying every poll", metadata: ["error": "\(error)"])
                    }
                    await runtime.wake.wait(upTo: pollInterval)
                    continue
                }
                for run in claimed {
                    guard let lease = run.lease else { continue }
                    EngineMetrics.recordPickup(of: run)
                    let reporter = runtime.tracker.start(
                        run.id, lease: lease, claimSentAt: claimSentAt, clock: clock, monotonicClock: monotonicClock,
                        configuration: configuration)
                    runs.addTask { await execute(run, reporter: reporter, runtime: runtime) }
                }
            }
            if !claimed.isEmpty && claimed.count == free {
                try? await monotonicClock.sleep(for: configuration.fetchCooldown)
                continue
            }
            await runtime.wake.wait(upTo: await idleWait(hasFreeSlots: free > claimed.count))
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

/// The runs a worker is executing, by id.
final class RunTracker: Sendable {
    private struct State {
        var reporters: [Int64: RunReporter] = [:]
        var beat = 0
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.reporters.count } }

    var all: [RunReporter] { state.withLock { Array($0.reporters.values) } }

    /// The reporters by run id, and the number of the heartbeat about to be sent.
    func beginHeartbeat() -> (reporters: [Int64: RunReporter], beat: Int) {
        state.withLock { state in
            state.beat += 1
            return (state.reporters, state.beat)
        }
    }

    /// Tracks a run claimed by a request sent at `claimSentAt`; the handler counts its lease as lost one heartbeat
    /// interval before it runs out.
    func start(
        _ runID: Int64, lease: RunLease, claimSentAt: MonotonicClock.Instant, clock: any WallClock,
        monotonicClock: MonotonicClock, configuration: WorkerConfiguration
    ) -> RunReporter {
        state.withLock { state in
            let reporter = RunReporter(
                lease: lease, clock: clock, monotonicClock: monotonicClock, claimedAtBeat: state.beat,
                safetyMargin: configuration.heartbeatInterval, leaseDuration: configuration.leaseDuration,
                claimSentAt: claimSentAt)
            state.reporters[runID] = reporter
            return reporter
        }
    }

    /// Forgets a finished attempt, unless a newer attempt of the same run already took its place.
    func finish(_ runID: Int64, _ reporter: RunReporter) {
        state.withLock { state in
            if state.reporters[runID] === reporter { state.reporters.removeValue(forKey: runID) }
        }
    }

    func stopAll(_ reason: StopReason) {
        for reporter in all { reporter.stop(reason) }
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
