import Foundation
import SluiceCore

/// Durable storage of jobs, runs, run logs, dataset refreshes and leader leases.
///
/// Two backends implement it: `SQLiteJobStore` (embedded, one machine) and `PostgresJobStore` (many nodes).
/// Both pass the same conformance suite (`SluiceStoreConformance`), which is the specification of every method.
///
/// Every method validates its input first and writes nothing when it throws. Errors are ``SluiceError``s;
/// methods that change a running run take its ``RunLease`` and throw ``SluiceError/Code/leaseLost`` when the
/// caller no longer holds it (fencing).
///
/// This protocol is the seam between the engine and the backends; it is not stable API for other conformers.
public protocol JobStore: PipelineStore, BrandStore, AccessStore {
    /// What the backend can do beyond the protocol.
    var capabilities: StoreCapabilities { get }

    /// The job types it stores and the clock it reads.
    var configuration: StoreConfiguration { get }

    // MARK: - Jobs

    /// Inserts a validated job with its first run, placed at the store's time (``ValidatedJob/placed(at:)``), or
    /// returns the active job with the same uniqueness key. `insertJob(_: JobRequest)` validates a request first.
    ///
    /// - Throws: ``SluiceError/Code/unknownJobType`` when the job was validated against another job type of its
    ///   name; ``SluiceError/Code/notFound`` naming `brand_id` when its brand does not exist.
    func insertJob(_ job: ValidatedJob) async throws -> InsertedJob

    /// Inserts validated jobs in one transaction; nothing is written if any fails.
    /// - Throws: as ``insertJob(_:)-(ValidatedJob)``.
    func insertJobs(_ jobs: [ValidatedJob]) async throws -> [InsertedJob]

    /// The job with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func job(id: Int64) async throws -> Job

    /// A page of jobs matching `query`, newest first.
    func listJobs(_ query: JobQuery) async throws -> Page<Job>

    /// Pauses an active job: its pending runs are not claimed until it is resumed.
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` unless the job is active.
    func pauseJob(id: Int64) async throws -> Job

    /// Resumes a paused job.
    ///
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` unless paused.
    func resumeJob(id: Int64) async throws -> Job

    /// Cancels a job: pending runs are cancelled, running ones are asked to cancel, nothing more is scheduled.
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` when already cancelled or finished.
    func cancelJob(id: Int64) async throws -> Job

    /// Deletes a job with its runs and logs.
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` while one of its runs is running.
    func deleteJob(id: Int64) async throws

    /// Makes the job run now: a pending run becomes due now; otherwise a new run is created, due now.
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` when the job is paused, cancelled,
    ///   already running, or (reactivating a finished unique job) another active job holds its key.
    func runJobNow(id: Int64) async throws -> Run

    /// Edits a recurring job in place, in one transaction: its parameters, cron expression, time zone, uniqueness
    /// key and next tick (the scheduler fires the new schedule from `update.nextFireAt`). Its status, queue,
    /// priority and brand are kept; runs already created (queued or not) are left as they are.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `schedule` for a schedule that is not recurring;
    ///   ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` naming `schedule` for a one-time job, `status`
    ///   unless the job is active or paused, or `unique_key` when another active or paused job holds the new key.
    func updateRecurringJob(_ update: RecurringJobUpdate) async throws -> Job

    // MARK: - Runs

    /// The run with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func run(id: Int64) async throws -> Run

    /// A page of runs matching `query`, newest first.
    func listRuns(_ query: RunQuery) async throws -> Page<Run>

    /// Claims up to `request.limit` due runs for a worker, by priority then due time, skipping paused jobs and
    /// respecting each job type's concurrency limit across all workers. Each claimed run is `running` with a
    /// lease of `request.leaseDuration` and its attempt incremented.
    func claimRuns(_ request: ClaimRequest) async throws -> [Run]

    /// Claims one run by id, if it is queued or retrying and its job is not paused, whether due or not (legacy
    /// direct mode runs a job in the caller's process at once; per-type concurrency limits are not applied).
    /// Returns nil when the run is not claimable (another worker took it, it ended, its job is paused).
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `worker_id` or `lease_duration`.
    func claimRun(id: Int64, workerID: String, leaseDuration: Duration) async throws -> Run?

    /// Extends a lease and records progress. The result says whether cancellation was requested.
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func heartbeat(_ heartbeat: Heartbeat) async throws -> HeartbeatResult

    /// Marks a running run succeeded.
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func completeRun(_ lease: RunLease, _ completion: RunCompletion) async throws -> Run

    /// Marks many running runs succeeded in one transaction. Returns the ids of the runs completed; an item whose
    /// lease was lost is left out (it does not fail the batch).
    func completeRuns(_ completions: [CompletedRun]) async throws -> Set<Int64>

    /// Records a batch of completions like ``completeRuns(_:)``, then claims like ``claimRuns(_:)`` (the slots the
    /// completions free are the ones a worker fills next). A store whose
    /// ``StoreCapabilities/claimsWithCompletions`` holds does both in one transaction; the default does them one after
    /// the other. A claim whose `limit` is 0 claims nothing.
    func completeRuns(
        _ completions: [CompletedRun], thenClaiming request: ClaimRequest
    ) async throws
        -> CompletionsAndClaims

    /// The earliest due time of a pending, unpaused run of these job types in these queues, if any.
    func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date?

    /// Records a failed or timed-out attempt: `retrying` when `failure.retryAt` is set and attempts remain,
    /// else terminal (`failed` or `timed_out`).
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func failRun(_ lease: RunLease, _ failure: RunFailure) async throws -> Run

    /// Marks a running run whose cancellation was honoured `cancelled`.
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func finishCancelledRun(_ lease: RunLease) async throws -> Run

    /// Gives back an unfinished run: it is queued again, due at `dueAt` (now when nil or past), and the attempt is
    /// not counted. A graceful shutdown gives runs back due now; a run waiting for a rate-limit token gives back its
    /// worker slot until its turn, saying so in its progress `message` (nil keeps the message).
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func releaseRun(_ lease: RunLease, dueAt: Date?, message: String?) async throws -> Run

    /// Cancels a run: a pending run is cancelled at once, a running one is asked to cancel (its worker sees it
    /// on its next heartbeat).
    ///
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` when over.
    func cancelRun(id: Int64) async throws -> Run

    /// Queues a failed, timed-out or cancelled run again, due now, with one more attempt allowed.
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` for other states.
    func retryRun(id: Int64) async throws -> Run

    /// Rescues up to `limit` running runs whose lease expired: the lost attempt counts, and the run is `retrying`,
    /// keeping its due time (so its place in the queue), or `failed` when attempts are exhausted. Returns the rescued
    /// runs.
    func rescueExpiredRuns(limit: Int) async throws -> [Run]

    /// What changed among runs and log lines since a change feed's last look (see ``RunActivityQuery``).
    /// - Throws: ``SluiceError/Code/invalidArgument`` for a limit outside 1...``PageLimit/maximum``.
    func runActivity(_ query: RunActivityQuery) async throws -> RunActivity

    /// The number of unfinished runs (queued, retrying, running) by job type, queue and state.
    func activeRunCounts() async throws -> [ActiveRunCount]

    /// Runs that finished at or after `since` (of one brand, or of all), counted by outcome in buckets of
    /// `bucketSeconds` aligned to multiples of it since the Unix epoch: `succeeded`, and `failed` or `timed_out`
    /// (cancelled runs are not counted). Ascending by start; only buckets with at least one counted run.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `bucket_seconds` outside 1...86400.
    func runOutcomes(since: Date, bucketSeconds: Int, brandID: UUID?) async throws -> [RunOutcomeBucket]

    // MARK: - Workers

    /// Records a worker's heartbeat and renews the leases of every run it holds, in one transaction.
    func heartbeatWorker(_ heartbeat: WorkerHeartbeat) async throws -> WorkerHeartbeatResult

    /// The workers seen since `date`, by id.
    func workers(seenSince date: Date) async throws -> [WorkerRecord]

    /// Forgets a worker that stopped.
    func removeWorker(id: String) async throws

    // MARK: - Scheduling

    /// Creates the runs of recurring jobs whose next tick is due (within the lookahead), one per job and tick, and
    /// advances each job's next tick. Any number of nodes may call it at once: a tick's run is created once.
    func scheduleRecurringRuns(_ request: RecurringScheduleRequest) async throws -> [Run]

    /// Calls `wake` whenever runs may have become available in `queues`, until the calling task is cancelled.
    /// Backends without cross-process notifications (see ``StoreCapabilities/supportsNotifications``) still wake for
    /// inserts made by this process. `wake` is also called once listening has begun, and after each reconnect
    /// (connection losses are retried), because work may have arrived unannounced meanwhile.
    func listenForWork(queues: [String], _ wake: @escaping @Sendable () -> Void) async throws

    // MARK: - Logs

    /// Appends log lines to a running run.
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    func appendLogs(_ lease: RunLease, _ lines: [NewLogLine]) async throws

    /// Log lines of a run with id greater than `query.after`, oldest first.
    func logs(_ query: LogQuery) async throws -> [LogLine]

    /// Counts and the last lines of a run's log.
    func logSummary(runID: Int64) async throws -> LogSummary

    /// The log summaries of many runs in one read (a page of runs shows one per row); runs that do not exist are
    /// left out. At most 1 000 ids.
    func logSummaries(runIDs: [Int64]) async throws -> [Int64: LogSummary]

    // MARK: - Datasets

    /// Records a refresh event of a brand's dataset.
    func recordDatasetEvent(_ event: DatasetEvent) async throws

    /// The refresh record of a brand's dataset, if any event was recorded.
    func datasetRecord(brandID: UUID, dataset: String) async throws -> DatasetRefreshRecord?

    /// Every refresh record, of one brand or of all, sorted by brand then dataset.
    func datasetRecords(brandID: UUID?) async throws -> [DatasetRefreshRecord]

    // MARK: - Leader leases

    /// Takes or renews the named lease for `holder` if it is free, expired, or already held by `holder`.
    /// Returns whether `holder` holds it now.
    func acquireLease(_ request: LeaderLeaseRequest) async throws -> Bool

    /// Releases the named lease if `holder` holds it. Returns whether it did.
    func releaseLease(name: String, holder: String) async throws -> Bool

    /// The current holder of a lease that has not expired.
    func leaseHolder(name: String) async throws -> String?

    // MARK: - Pruning

    /// Deletes up to `request.batchSize` runs in `request.states` (and their logs) that ended before
    /// `request.finishedBefore`, then finished or cancelled jobs left without runs. Call repeatedly until
    /// ``PruneResult/isComplete``.
    func prune(_ request: PruneRequest) async throws -> PruneResult
}

/// Backend capabilities, so layers above never ask which backend they use.
public struct StoreCapabilities: Sendable, Hashable {
    /// Whether other processes' inserts can be announced (PostgreSQL LISTEN/NOTIFY).
    public let supportsNotifications: Bool
    /// Whether many processes on many hosts may share the store.
    public let supportsMultipleHosts: Bool
    /// The precision of stored instants.
    public let timePrecision: Duration
    /// Whether ``JobStore/completeRuns(_:thenClaiming:)`` completes and claims in one transaction, so a worker saves
    /// a write by claiming with its completions (SQLite, whose single writer makes each transaction count).
    public let claimsWithCompletions: Bool

    /// Creates capabilities.
    public init(
        supportsNotifications: Bool, supportsMultipleHosts: Bool, timePrecision: Duration,
        claimsWithCompletions: Bool = false
    ) {
        self.supportsNotifications = supportsNotifications
        self.supportsMultipleHosts = supportsMultipleHosts
        self.timePrecision = timePrecision
        self.claimsWithCompletions = claimsWithCompletions
    }
}

extension JobStore {
    /// Gives back an unfinished run, due now (see ``releaseRun(_:dueAt:message:)``).
    ///
    /// - Throws: ``SluiceError/Code/leaseLost``.
    public func releaseRun(_ lease: RunLease) async throws -> Run {
        try await releaseRun(lease, dueAt: nil, message: nil)
    }

    /// Completes, then claims, in two transactions: for a store that cannot merge them.
    public func completeRuns(
        _ completions: [CompletedRun], thenClaiming request: ClaimRequest
    ) async throws
        -> CompletionsAndClaims
    {
        try request.validate()
        let completed = completions.isEmpty ? [] : try await completeRuns(completions)
        return CompletionsAndClaims(completed: completed, claimed: try await claimRuns(request))
    }

    /// Validates `request` against the store's job types at its time, then inserts it.
    ///
    /// - Throws: ``SluiceError/Code/unknownJobType``, ``SluiceError/Code/invalidParameters``,
    ///   ``SluiceError/Code/invalidCron``, ``SluiceError/Code/unknownTimeZone``,
    ///   ``SluiceError/Code/invalidArgument``; ``SluiceError/Code/notFound`` naming `brand_id`.
    public func insertJob(_ request: JobRequest) async throws -> InsertedJob {
        try await insertJob(request.validated(against: configuration.registry, now: configuration.now()))
    }

    /// Validates every request, then inserts them all in one transaction; nothing is written if any is invalid.
    /// - Throws: the first invalid request's error, its field prefixed with `jobs[INDEX].`.
    public func insertJobs(_ requests: [JobRequest]) async throws -> [InsertedJob] {
        try await insertJobs(configuration.registry.validate(requests, now: configuration.now()))
    }
}
