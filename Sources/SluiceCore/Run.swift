import Foundation

/// One execution of a job, through its attempts: a run is retried in place (its ``attempt`` grows) until it
/// succeeds or ends terminally. A recurring job has one run per cron tick.
public struct Run: Sendable, Hashable, Identifiable {
    /// The run's id, increasing in creation order.
    public let id: Int64
    /// The job it executes.
    public let jobID: Int64
    /// The job's brand.
    public let brandID: UUID
    /// The job type's name.
    public let jobType: String
    /// The queue it waits in.
    public let queue: String
    /// Its priority; lower runs first.
    public let priority: Int
    /// The job's parameters when the run was created.
    public let parameters: JSONObject
    /// The state.
    public let state: RunState
    /// Attempts started so far (0 while it has never run).
    public let attempt: Int
    /// The most attempts it may have.
    public let maxAttempts: Int
    /// When it is due (for a retry: when its backoff ends).
    public let scheduledAt: Date
    /// The cron tick it was created for, for runs of recurring jobs fired by the schedule.
    public let fireTime: Date?
    /// When it was created.
    public let createdAt: Date
    /// When its current or last attempt started.
    public let startedAt: Date?
    /// When it ended.
    public let finishedAt: Date?
    /// The worker running (or that last ran) it.
    public let workerID: String?
    /// When the running attempt's lease expires.
    public let leaseExpiresAt: Date?
    /// Whether cancellation was requested while it was running.
    public let cancelRequested: Bool
    /// Progress of the running attempt, 0...1, if reported.
    public let progress: Double?
    /// The progress message, if reported.
    public let progressMessage: String?
    /// The last attempt's error.
    public let error: String?
    /// The small result of a successful run.
    public let result: JSONObject?
    /// Rows written to its dataset by a successful run.
    public let rowsWritten: Int64?

    /// Creates a run value (stores build these from rows).
    public init(
        id: Int64, jobID: Int64, brandID: UUID, jobType: String, queue: String, priority: Int, parameters: JSONObject,
        state: RunState, attempt: Int, maxAttempts: Int, scheduledAt: Date, fireTime: Date?, createdAt: Date,
        startedAt: Date?, finishedAt: Date?, workerID: String?, leaseExpiresAt: Date?, cancelRequested: Bool,
        progress: Double?, progressMessage: String?, error: String?, result: JSONObject?, rowsWritten: Int64?
    ) {
        self.id = id
        self.jobID = jobID
        self.brandID = brandID
        self.jobType = jobType
        self.queue = queue
        self.priority = priority
        self.parameters = parameters
        self.state = state
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.scheduledAt = scheduledAt
        self.fireTime = fireTime
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.workerID = workerID
        self.leaseExpiresAt = leaseExpiresAt
        self.cancelRequested = cancelRequested
        self.progress = progress
        self.progressMessage = progressMessage
        self.error = error
        self.result = result
        self.rowsWritten = rowsWritten
    }

    /// The lease of a running run, for fenced calls by its worker.
    public var lease: RunLease? {
        guard state == .running, let workerID, let leaseExpiresAt else { return nil }
        return RunLease(runID: id, workerID: workerID, attempt: attempt, expiresAt: leaseExpiresAt)
    }
}

/// Proof that a worker holds a running run: its id, the worker, and the attempt it claimed.
///
/// Every call that changes a running run (heartbeat, completion, failure, log lines) presents the lease;
/// the store refuses it with ``SluiceError/Code/leaseLost`` once the run was rescued, released, cancelled,
/// re-claimed, or the lease expired.
public struct RunLease: Sendable, Hashable {
    /// The run.
    public let runID: Int64
    /// The worker holding it.
    public let workerID: String
    /// The attempt the worker claimed; a later claim of the same run has a higher attempt.
    public let attempt: Int
    /// When the lease runs out unless renewed.
    public let expiresAt: Date

    /// Creates a lease.
    public init(runID: Int64, workerID: String, attempt: Int, expiresAt: Date) {
        self.runID = runID
        self.workerID = workerID
        self.attempt = attempt
        self.expiresAt = expiresAt
    }
}
