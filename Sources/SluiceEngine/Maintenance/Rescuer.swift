import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Makes runs whose worker stopped renewing their lease available again (the lost attempt counts). A rescued run
/// keeps its place in the queue; one with no attempts left fails, and the store records its dataset's failure and its
/// `run.failed` alert with it.
public struct Rescuer: Service {
    /// How the rescuer works.
    public struct Configuration: Sendable, Hashable {
        /// How often it looks for expired leases. Defaults to 1 second.
        public var interval: Duration
        /// The most runs rescued per statement (a pass repeats until fewer are found). Defaults to 1 000.
        public var batchSize: Int

        /// Creates a configuration; see the property docs for defaults.
        public init(interval: Duration = .seconds(1), batchSize: Int = 1000) {
            self.interval = interval
            self.batchSize = batchSize
        }
    }

    let store: any JobStore
    let configuration: Configuration
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a rescuer whose passes are timed on `monotonicClock`.
    public init(
        store: any JobStore, configuration: Configuration = Configuration(),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.rescuer")
    ) {
        self.store = store
        self.configuration = configuration
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: configuration.interval, on: monotonicClock, logger: logger, label: "rescuing runs"
        ) {
            _ = try await rescueOnce()
        }
    }

    /// One pass; returns the runs it rescued.
    @discardableResult
    public func rescueOnce() async throws -> [Run] {
        var rescued: [Run] = []
        while true {
            let batch = try await store.rescueExpiredRuns(limit: configuration.batchSize)
            rescued += batch
            if batch.count < configuration.batchSize || Task.isCancelled { break }
        }
        if !rescued.isEmpty {
            logger.notice("rescued runs whose worker stopped", metadata: ["count": "\(rescued.count)"])
        }
        return rescued
    }
}
