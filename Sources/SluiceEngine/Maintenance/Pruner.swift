import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Deletes finished runs and their logs after a retention per state, and old dataset history and webhook
/// deliveries, in bounded batches.
public struct Pruner: Service {
    /// How long finished records are kept.
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

    /// How the pruner works.
    public struct Configuration: Sendable, Hashable {
        /// How long finished records are kept.
        public var retention: Retention
        /// How often it makes a pass. Defaults to 1 minute.
        public var interval: Duration
        /// The most records deleted per statement. Defaults to 5 000.
        public var batchSize: Int
        /// The most statements per kind of record and pass, so that a large backlog is deleted over several passes
        /// rather than in one long one. Defaults to 20.
        public var batchesPerPass: Int

        /// Creates a configuration; see the property docs for defaults.
        public init(
            retention: Retention = Retention(), interval: Duration = .seconds(60), batchSize: Int = 5000,
            batchesPerPass: Int = 20
        ) {
            self.retention = retention
            self.interval = interval
            self.batchSize = batchSize
            self.batchesPerPass = batchesPerPass
        }
    }

    let store: any JobStore
    let configuration: Configuration
    let clock: any WallClock
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a pruner: retention is measured on the wall `clock`, passes are timed on `monotonicClock`.
    public init(
        store: any JobStore, configuration: Configuration = Configuration(), clock: any WallClock = SystemWallClock(),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.pruner")
    ) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: configuration.interval, on: monotonicClock, logger: logger, label: "pruning") {
            _ = try await pruneOnce()
        }
    }

    /// One pass; returns the runs deleted (old dataset history and webhook deliveries are deleted too).
    public func pruneOnce() async throws -> Int {
        let now = clock.now()
        let retention = configuration.retention
        var deleted = 0
        for request in retention.requests(at: now, batchSize: configuration.batchSize) {
            for _ in 0..<configuration.batchesPerPass {
                let result = try await store.prune(request)
                deleted += result.runsDeleted
                if result.isComplete || Task.isCancelled { break }
            }
        }
        let pipeline = PipelinePruneRequest(
            historyBefore: now.addingTimeInterval(-retention.datasetHistory.seconds),
            deliveriesBefore: now.addingTimeInterval(-retention.webhookDeliveries.seconds),
            batchSize: configuration.batchSize)
        for _ in 0..<configuration.batchesPerPass {
            let result = try await store.prunePipeline(pipeline)
            if result.isComplete || Task.isCancelled { break }
        }
        return deleted
    }
}
