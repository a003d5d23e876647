import Foundation
import SluiceCore
import SluiceStore

/// The one door to Sluice for everything above the engine (HTTP API, dashboard, CLI): enqueue and steer jobs and
/// runs, read logs and dataset freshness. It never exposes the store.
///
/// ```swift
/// let client = SluiceClient(store: store, registry: registry, datasets: datasets)
/// let result = try await client.enqueue(JobRequest(brandID: brand, jobType: "competitor_scrape", parameters: [...]))
/// if result.deduplicated { print("already queued as job \(result.job.id)") }
/// ```
public struct SluiceClient: Sendable {
    let store: any JobStore
    /// The registered job types.
    public let registry: JobTypeRegistry
    /// The datasets, by name.
    public let datasets: [String: Dataset]
    let clock: any WallClock

    /// Creates a client.
    public init(
        store: any JobStore, registry: JobTypeRegistry, datasets: [Dataset] = [],
        clock: any WallClock = SystemWallClock()
    ) {
        self.store = store
        self.registry = registry
        self.datasets = Dictionary(datasets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.clock = clock
    }

    // MARK: - Jobs

    /// Enqueues a job; when its uniqueness key matches an active job, returns that job with `deduplicated` set.
    public func enqueue(_ request: JobRequest) async throws -> InsertedJob { try await store.insertJob(request) }

    /// Enqueues many jobs in one transaction; nothing is written if any is invalid.
    public func enqueue(_ requests: [JobRequest]) async throws -> [InsertedJob] { try await store.insertJobs(requests) }

    /// The job with `id`.
    public func job(id: Int64) async throws -> Job { try await store.job(id: id) }

    /// A page of jobs.
    public func jobs(_ query: JobQuery) async throws -> Page<Job> { try await store.listJobs(query) }

    /// Pauses a job.
    public func pauseJob(id: Int64) async throws -> Job { try await store.pauseJob(id: id) }

    /// Resumes a paused job.
    public func resumeJob(id: Int64) async throws -> Job { try await store.resumeJob(id: id) }

    /// Cancels a job and its pending runs; running ones are asked to stop.
    public func cancelJob(id: Int64) async throws -> Job { try await store.cancelJob(id: id) }

    /// Deletes a job with its runs and logs.
    public func deleteJob(id: Int64) async throws { try await store.deleteJob(id: id) }

    /// Runs a job now.
    public func runJobNow(id: Int64) async throws -> Run { try await store.runJobNow(id: id) }

    // MARK: - Runs

    /// The run with `id`.
    public func run(id: Int64) async throws -> Run { try await store.run(id: id) }

    /// A page of runs.
    public func runs(_ query: RunQuery) async throws -> Page<Run> { try await store.listRuns(query) }

    /// Retries a failed, timed-out or cancelled run.
    public func retryRun(id: Int64) async throws -> Run { try await store.retryRun(id: id) }

    /// Cancels a run: at once when pending, within about a second (its worker's next heartbeat) when running.
    public func cancelRun(id: Int64) async throws -> Run { try await store.cancelRun(id: id) }

    /// A run's log lines after `after`.
    public func logs(runID: Int64, after: Int64? = nil, limit: Int = 500) async throws -> [LogLine] {
        try await store.logs(LogQuery(runID: runID, after: after, limit: limit))
    }

    /// A run's log summary.
    public func logSummary(runID: Int64) async throws -> LogSummary { try await store.logSummary(runID: runID) }

    /// The workers seen in the last `window` (default 30 s).
    public func workers(within window: Duration = .seconds(30)) async throws -> [WorkerRecord] {
        try await store.workers(seenSince: clock.now().addingTimeInterval(-window.seconds))
    }

    // MARK: - Datasets

    /// The freshness of every known dataset of a brand, including datasets never refreshed (`unknown`).
    public func freshness(brandID: UUID) async throws -> [DatasetFreshness] {
        let records = Dictionary(
            try await store.datasetRecords(brandID: brandID).map { ($0.dataset, $0) }, uniquingKeysWith: { a, _ in a })
        let now = clock.now()
        return datasets.values.sorted { $0.name < $1.name }.map { dataset in
            let record = records[dataset.name]
            return DatasetFreshness(
                dataset: dataset, brandID: brandID, record: record, state: dataset.policy.state(of: record, at: now))
        }
    }
}

/// A dataset's freshness for one brand.
public struct DatasetFreshness: Sendable, Hashable {
    /// The dataset.
    public let dataset: Dataset
    /// The brand.
    public let brandID: UUID
    /// What was recorded of its refreshes, if anything.
    public let record: DatasetRefreshRecord?
    /// Its state now.
    public let state: FreshnessState
}
