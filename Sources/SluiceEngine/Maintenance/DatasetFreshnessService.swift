import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Watches every brand's datasets: alerts when one turns `failing`, and refreshes the ones that opted in to
/// auto-refresh when they are due and no producing run is queued or running.
///
/// It runs on every node at once. Each refresh is enqueued with one uniqueness key per brand and dataset, so
/// concurrent passes create one job; alerts carry a key per failing spell, so each is delivered once.
public struct DatasetFreshnessService: Service {
    /// How the service works.
    public struct Configuration: Sendable, Hashable {
        /// How often it looks at every brand's datasets. Defaults to 15 seconds.
        public var interval: Duration
        /// How long after a failed refresh it waits before auto-refreshing again (the job type's retry policy covers
        /// quicker retries). Defaults to 1 hour.
        public var failureBackoff: Duration

        /// Creates a configuration; see the property docs for defaults.
        public init(interval: Duration = .seconds(15), failureBackoff: Duration = .seconds(3600)) {
            self.interval = interval
            self.failureBackoff = failureBackoff
        }
    }

    let reader: FreshnessReader
    let store: any JobStore
    let configuration: Configuration
    let clock: any WallClock
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates the service: freshness is judged on the wall `clock`, passes are timed on `monotonicClock`.
    public init(
        store: any JobStore, datasets: DatasetRegistry, configuration: Configuration = Configuration(),
        clock: any WallClock = SystemWallClock(), monotonicClock: some Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "sluice.freshness")
    ) {
        reader = FreshnessReader(store: store, datasets: datasets)
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: configuration.interval, on: monotonicClock, logger: logger, label: "checking dataset freshness"
        ) {
            _ = try await checkOnce()
        }
    }

    /// One pass; returns the refresh jobs it enqueued (deduplicated ones excluded).
    @discardableResult
    public func checkOnce() async throws -> [Job] {
        let now = clock.now()
        var enqueued: [Job] = []
        // Alerts are only written when someone listens.
        let alerting = try await !store.webhooks(brandID: nil).isEmpty
        for freshness in try await reader.freshness(brandID: nil, at: now) {
            if alerting && freshness.state == .failing {
                _ = try await store.enqueueAlert(AlertEvents.datasetFailing(freshness, at: now))
            }
            guard freshness.autoRefresh, let parameters = freshness.override?.parameters, isDue(freshness, now) else {
                continue
            }
            if let job = try await refresh(freshness, parameters: parameters) { enqueued.append(job) }
        }
        return enqueued
    }

    /// Whether the dataset should be refreshed now: stale, never refreshed, or failing by age; after a failed
    /// refresh only once the backoff has passed.
    private func isDue(_ freshness: DatasetFreshness, _ now: Date) -> Bool {
        if let record = freshness.record, record.lastAttemptFailed, let failedAt = record.lastFailureAt {
            return now.timeIntervalSince(failedAt) >= configuration.failureBackoff.seconds
        }
        return [.stale, .unknown, .failing].contains(freshness.state)
    }

    private func refresh(_ freshness: DatasetFreshness, parameters: JSONObject) async throws -> Job? {
        let producer = freshness.dataset.producedBy
        let pending = try await store.listRuns(
            RunQuery(brandID: freshness.brandID, jobType: producer, states: [.queued, .retrying, .running], limit: 1))
        guard pending.items.isEmpty else { return nil }
        let request = JobRequest(
            brandID: freshness.brandID, jobType: producer, parameters: parameters,
            uniqueKey: "auto_refresh:\(freshness.dataset.name)")
        do {
            let inserted = try await store.insertJob(request)
            guard !inserted.deduplicated else { return nil }
            logger.info(
                "auto-refresh enqueued",
                metadata: [
                    "dataset": "\(freshness.dataset.name)", "brand": "\(freshness.brandID)",
                    "job": "\(inserted.job.id)",
                ])
            return inserted.job
        } catch let error as SluiceError where error.code != .storageFailure {
            logger.warning(
                "the brand's saved auto-refresh parameters are refused",
                metadata: [
                    "dataset": "\(freshness.dataset.name)", "brand": "\(freshness.brandID)", "error": "\(error)",
                ])
            return nil
        }
    }
}
