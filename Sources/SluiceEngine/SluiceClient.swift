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
    /// The registered datasets.
    public let datasets: DatasetRegistry
    let admissions: [String: any JobAdmission]
    let clock: any WallClock

    /// Creates a client; `admissions` are the enqueue-time checks of job types, by job type name.
    public init(
        store: any JobStore, registry: JobTypeRegistry, datasets: DatasetRegistry,
        admissions: [String: any JobAdmission] = [:], clock: any WallClock = SystemWallClock()
    ) {
        self.store = store
        self.registry = registry
        self.datasets = datasets
        self.admissions = admissions
        self.clock = clock
    }

    // MARK: - Jobs

    /// Enqueues a job of an existing brand after its job type's admission check; when its uniqueness key matches an
    /// active job, returns that job with `deduplicated` set.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `brand_id` when no brand has the request's; the validation and
    ///   admission errors.
    public func enqueue(_ request: JobRequest) async throws -> InsertedJob {
        try await requireBrand(request.brandID)
        return try await store.insertJob(try await admitted(request))
    }

    /// Enqueues many jobs in one transaction; nothing is written if any is invalid or names a missing brand.
    ///
    /// - Throws: the first invalid request's validation error, its field prefixed with `jobs[INDEX].`; an admission's
    ///   error as the admission words it.
    public func enqueue(_ requests: [JobRequest]) async throws -> [InsertedJob] {
        for brandID in Set(requests.map(\.brandID)) { try await requireBrand(brandID) }
        let validated = try registry.validate(requests, now: clock.now())
        for job in validated { try await admissions[job.type.name]?.admit(job) }
        return try await store.insertJobs(validated)
    }

    /// The rule that everything is scoped to a brand that exists, in one place for jobs and tokens.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `brand_id`.
    func requireBrand(_ id: UUID) async throws {
        _ = try await store.brand(id: id)
    }

    /// Runs a one-time job in the calling process and returns its finished run (legacy direct mode, the old "run
    /// scrape directly"): it is enqueued like any job (schema, admission check, uniqueness), then `worker` claims
    /// and executes it at once, so it is recorded like any run, with logs, retries and dataset freshness. Should a
    /// worker elsewhere claim it first, this waits for that run to end instead. `onQueued` learns the run as soon
    /// as it is queued, so a caller can follow its progress and logs while it runs.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `schedule` for a job that is not due now;
    ///   ``SluiceError/Code/conflict`` naming `unique_key` when an active job with the same uniqueness key exists;
    ///   the enqueue errors.
    public func runDirectly(
        _ request: JobRequest, with worker: Worker, onQueued: @Sendable (Run) -> Void = { _ in }
    ) async throws -> Run {
        guard case .now = request.schedule else {
            throw SluiceError.invalidArgument("schedule", "direct mode runs one-time jobs now")
        }
        guard worker.handlers[request.jobType] != nil else {
            throw SluiceError(
                .unknownJobType, "this process has no handler for \(request.jobType.prefix(64))", field: "job_type")
        }
        let inserted = try await enqueue(request)
        guard !inserted.deduplicated, let queued = inserted.run else {
            throw SluiceError(
                .conflict, "job \(inserted.job.id) with the same uniqueness key is active; it runs in its turn",
                field: "unique_key")
        }
        onQueued(queued)
        var run: Run
        if let ran = try await worker.runNow(runID: queued.id) {
            run = ran
        } else {
            run = try await store.run(id: queued.id)
        }
        while !run.state.isTerminal && run.state != .retrying {
            try await Task.sleep(for: .milliseconds(100))
            run = try await store.run(id: queued.id)
        }
        return run
    }

    /// Validates `request` at now (schema and defaults, schedule and its first tick, priority, uniqueness key), then
    /// runs its job type's admission check, if any: the one check of a request on its way to the store, which only
    /// places what it is handed. Enqueueing and editing a recurring job share it.
    func admitted(_ request: JobRequest) async throws -> ValidatedJob {
        let validated = try request.validated(against: registry, now: clock.now())
        try await admissions[validated.type.name]?.admit(validated)
        return validated
    }

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

    /// The log summaries of many runs (at most 1 000) in one read; unknown runs are left out.
    public func logSummaries(runIDs: [Int64]) async throws -> [Int64: LogSummary] {
        try await store.logSummaries(runIDs: runIDs)
    }

    /// The workers seen in the last `window` (default 30 s).
    public func workers(within window: Duration = .seconds(30)) async throws -> [WorkerRecord] {
        try await store.workers(seenSince: clock.now().addingTimeInterval(-window.seconds))
    }

    // MARK: - Datasets

    /// The freshness of every registered dataset of a brand, including datasets never refreshed (`unknown`).
    public func freshness(brandID: UUID) async throws -> [DatasetFreshness] {
        try await FreshnessReader(store: store, datasets: datasets).freshness(brandID: brandID, at: clock.now())
    }

    /// The freshness of every registered dataset of every brand with a refresh record or settings.
    public func freshness() async throws -> [DatasetFreshness] {
        try await FreshnessReader(store: store, datasets: datasets).freshness(brandID: nil, at: clock.now())
    }

    /// A brand's finished refreshes of a dataset, newest first.
    /// - Throws: ``SluiceError/Code/notFound`` for an unregistered dataset.
    public func datasetHistory(_ query: DatasetHistoryQuery) async throws -> [DatasetHistoryEntry] {
        _ = try datasets.require(query.dataset)
        return try await store.datasetHistory(query)
    }

    /// Saves a brand's settings for a dataset; saved auto-refresh parameters must pass the producing job type's
    /// schema.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` for an unregistered dataset,
    /// ``SluiceError/Code/invalidParameters`` for parameters the schema refuses.
    public func saveDatasetOverride(_ override: DatasetOverride) async throws {
        let dataset = try datasets.require(override.dataset)
        if let parameters = override.parameters {
            _ = try registry.require(dataset.producedBy).schema.validate(parameters)
        }
        try await store.saveDatasetOverride(override)
    }

    /// Removes a brand's settings for a dataset; returns whether there were any.
    public func deleteDatasetOverride(brandID: UUID, dataset: String) async throws -> Bool {
        try await store.deleteDatasetOverride(brandID: brandID, dataset: dataset)
    }

    // MARK: - Rate limiters

    /// Creates a shared rate limiter or changes its rate and burst.
    public func configureRateLimiter(_ settings: RateLimiterSettings) async throws {
        try await store.configureRateLimiter(settings)
    }

    /// Every rate limiter and its bucket now.
    public func rateLimiters() async throws -> [RateLimiterState] { try await store.rateLimiters() }

    /// Changes an existing limiter's rate and burst (a lower burst caps the tokens in its bucket) and returns it as
    /// it now stands. Runs already given turns keep them (see ``RateLimits``).
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `name` for a limiter that is not configured;
    ///   ``SluiceError/Code/invalidArgument`` naming `rate_per_second` or `burst`.
    public func updateRateLimiter(_ settings: RateLimiterSettings) async throws -> RateLimiterState {
        let notFound = SluiceError(
            .notFound, "rate limiter \(settings.name.prefix(64)) is not configured", field: "name")
        guard try await store.rateLimiters().contains(where: { $0.settings.name == settings.name }) else {
            throw notFound
        }
        try await store.configureRateLimiter(settings)
        guard let updated = try await store.rateLimiters().first(where: { $0.settings.name == settings.name }) else {
            throw notFound
        }
        return updated
    }

    // MARK: - Alert webhooks

    /// Registers a webhook for alerts.
    public func createWebhook(_ request: WebhookRequest) async throws -> Webhook {
        try await store.createWebhook(request)
    }

    /// The webhooks of a brand, or all when nil.
    public func webhooks(brandID: UUID? = nil) async throws -> [Webhook] { try await store.webhooks(brandID: brandID) }

    /// Deletes a webhook and its deliveries.
    public func deleteWebhook(id: Int64) async throws { try await store.deleteWebhook(id: id) }

    /// Queues a test delivery to a webhook; the dispatcher sends it like any alert.
    public func sendTestDelivery(webhookID: Int64) async throws -> WebhookDelivery {
        try await store.enqueueTestDelivery(webhookID: webhookID)
    }

    /// A webhook's deliveries, newest first.
    public func deliveries(webhookID: Int64, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await store.deliveries(webhookID: webhookID, limit: limit)
    }
}
