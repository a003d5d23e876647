import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Creates the runs of recurring jobs, one per cron tick, on every node at once: the store deduplicates ticks by
/// job and fire time, and each job's next tick is stored, so no tick is lost across restarts or leader changes.
public struct Scheduler: Service {
    let store: any JobStore
    let interval: Duration
    let request: RecurringScheduleRequest
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a scheduler that makes a pass every `interval` (default 1 s) on `monotonicClock`, creating runs up to
    /// `interval` ahead.
    public init(
        store: any JobStore, interval: Duration = .seconds(1), misfireGrace: Duration = .seconds(60),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.scheduler")
    ) {
        self.store = store
        self.interval = interval
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        request = RecurringScheduleRequest(lookahead: interval * 2, misfireGrace: misfireGrace)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: interval, on: monotonicClock, logger: logger, label: "scheduling recurring runs"
        ) {
            while try await store.scheduleRecurringRuns(request).count >= request.limit {}
        }
    }
}

/// Makes runs whose worker stopped renewing their lease available again (the lost attempt counts). A rescued run
/// with no attempts left fails; the store records its dataset's failure and its `run.failed` alert with it.
public struct Rescuer: Service {
    let store: any JobStore
    let interval: Duration
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a rescuer that looks for expired leases every `interval` (default 1 s) on `monotonicClock`.
    public init(
        store: any JobStore, interval: Duration = .seconds(1), monotonicClock: some Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "sluice.rescuer")
    ) {
        self.store = store
        self.interval = interval
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, on: monotonicClock, logger: logger, label: "rescuing runs") {
            let rescued = try await store.rescueExpiredRuns(limit: 1000)
            if !rescued.isEmpty {
                logger.notice("rescued runs whose worker stopped", metadata: ["count": "\(rescued.count)"])
            }
        }
    }
}

/// Deletes finished runs and their logs after a retention per state, in bounded batches.
public struct Pruner: Service {
    /// How long finished runs are kept, by state.
    public struct Retention: Sendable, Hashable {
        /// Succeeded runs. Defaults to 7 days.
        public var succeeded: Duration
        /// Cancelled runs. Defaults to 7 days.
        public var cancelled: Duration
        /// Failed and timed-out runs. Defaults to 30 days.
        public var failed: Duration
        /// Dataset refresh history. Defaults to 90 days.
        public var datasetHistory: Duration
        /// Delivered and failed webhook deliveries. Defaults to 30 days.
        public var webhookDeliveries: Duration

        /// Creates a retention; see the property docs for defaults.
        public init(
            succeeded: Duration = .seconds(7 * 86_400), cancelled: Duration = .seconds(7 * 86_400),
            failed: Duration = .seconds(30 * 86_400), datasetHistory: Duration = .seconds(90 * 86_400),
            webhookDeliveries: Duration = .seconds(30 * 86_400)
        ) {
            self.succeeded = succeeded
            self.cancelled = cancelled
            self.failed = failed
            self.datasetHistory = datasetHistory
            self.webhookDeliveries = webhookDeliveries
        }

        /// The prune requests at `now`.
        func requests(at now: Date, batchSize: Int) -> [PruneRequest] {
            [
                PruneRequest(
                    states: [.succeeded], finishedBefore: now.addingTimeInterval(-succeeded.seconds),
                    batchSize: batchSize),
                PruneRequest(
                    states: [.cancelled], finishedBefore: now.addingTimeInterval(-cancelled.seconds),
                    batchSize: batchSize),
                PruneRequest(
                    states: [.failed, .timedOut], finishedBefore: now.addingTimeInterval(-failed.seconds),
                    batchSize: batchSize),
            ]
        }
    }

    let store: any JobStore
    let retention: Retention
    let interval: Duration
    let batchSize: Int
    let clock: any WallClock
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a pruner that runs every `interval` (default 1 minute) on `monotonicClock`, deleting at most
    /// `batchSize` runs per statement (default 5 000) and at most 20 batches per state per pass; retention is
    /// measured on the wall `clock`.
    public init(
        store: any JobStore, retention: Retention = Retention(), interval: Duration = .seconds(60),
        batchSize: Int = 5000, clock: any WallClock = SystemWallClock(),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.pruner")
    ) {
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.store = store
        self.retention = retention
        self.interval = interval
        self.batchSize = batchSize
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, on: monotonicClock, logger: logger, label: "pruning") {
            _ = try await pruneOnce()
        }
    }

    /// One pass; returns the runs deleted (old dataset history and webhook deliveries are deleted too).
    public func pruneOnce() async throws -> Int {
        let now = clock.now()
        var deleted = 0
        for request in retention.requests(at: now, batchSize: batchSize) {
            for _ in 0..<20 {
                let result = try await store.prune(request)
                deleted += result.runsDeleted
                if result.isComplete || Task.isCancelled { break }
            }
        }
        let pipeline = PipelinePruneRequest(
            historyBefore: now.addingTimeInterval(-retention.datasetHistory.seconds),
            deliveriesBefore: now.addingTimeInterval(-retention.webhookDeliveries.seconds), batchSize: batchSize)
        for _ in 0..<20 {
            let result = try await store.prunePipeline(pipeline)
            if result.isComplete || Task.isCancelled { break }
        }
        return deleted
    }
}

/// Runs `body` every `interval` on `clock` until graceful shutdown or cancellation; failures are logged (as
/// "`label` failed") and retried next time. The loop of every periodic Sluice service.
public func repeatUntilShutdown(
    every interval: Duration, on clock: MonotonicClock = .continuous, logger: Logger, label: String,
    _ body: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                if Task.isCancelled { return }
                logger.warning("\(label) failed", metadata: ["error": "\(error)"])
            }
            try? await clock.sleep(for: interval)
        }
    }
}
