import Foundation
import SluiceCore

/// What every store backend needs besides its connection: its job types and its clock.
public struct StoreConfiguration: Sendable {
    /// The registered job types; inserts of other types are refused, and their retry policies and
    /// concurrency limits apply to claims and rescues.
    public var registry: JobTypeRegistry
    /// The source of "now" for due times, leases and freshness. Defaults to the system clock.
    public var clock: any WallClock

    /// Creates a configuration.
    public init(registry: JobTypeRegistry, clock: any WallClock = SystemWallClock()) {
        self.registry = registry
        self.clock = clock
    }

    /// "Now", rounded to the stores' microsecond precision.
    public func now() -> Date { clock.now().roundedToMicroseconds }

    /// The scheduler's plan for a recurring job whose next tick is `due`, per its job type's misfire policy
    /// (`.runOnce` for a type no longer registered).
    public func tick(of job: Job, due: Date, now: Date, grace: Duration) -> RecurringTick {
        RecurringTick.plan(
            due: due, schedule: job.schedule, policy: registry[job.jobType]?.misfirePolicy ?? .runOnce, now: now,
            grace: grace)
    }

    /// The dataset refresh that the end of `run` records, in the transaction that ends it: a success with its rows
    /// written, or a terminal failure (or time-out) with its error. Nil for job types without a dataset, for
    /// cancelled runs and for runs that have not ended.
    public func datasetEvent(endingRun run: Run) -> DatasetEvent? {
        let outcome: DatasetEvent.Outcome
        switch run.state {
        case .succeeded: outcome = .succeeded(rowsWritten: run.rowsWritten ?? 0)
        case .failed, .timedOut: outcome = .failed(error: run.error ?? run.state.rawValue)
        case .queued, .running, .retrying, .cancelled: return nil
        }
        return DatasetEvent(
            jobType: run.jobType, brandID: run.brandID, runID: run.id, outcome: outcome, registry: registry)
    }

    /// The attempts a new run of `jobType` may have (the default policy's for a type no longer registered).
    public func maxAttempts(of jobType: String) -> Int {
        (registry[jobType]?.retryPolicy ?? RetryPolicy()).maxAttempts
    }

    /// `job` placed at `now`, once it is known to be of this store's job type of that name (a job validated against
    /// another registry is refused).
    ///
    /// - Throws: ``SluiceError/Code/unknownJobType`` naming `job_type`.
    public func placing(_ job: ValidatedJob, at now: Date) throws(SluiceError) -> ValidatedJob {
        guard registry[job.type.name] == job.type else {
            throw SluiceError(
                .unknownJobType, "job type \(job.type.name) is not the store's job type of that name", field: "job_type"
            )
        }
        return job.placed(at: now)
    }

    /// Checks a batch of completions and places each one's follow-ups at `now`, for `completeRuns`.
    ///
    /// - Throws: a completion's validation error; ``SluiceError/Code/unknownJobType`` naming
    ///   `follow_ups[INDEX].job_type`.
    public func placingFollowUps(of completions: [CompletedRun], at now: Date) throws(SluiceError) -> [[ValidatedJob]] {
        try completions.map { item throws(SluiceError) in
            try item.completion.validate()
            return try placing(item.completion.followUps, at: now, field: "follow_ups")
        }
    }

    /// Every job placed at `now` (``placing(_:at:)``), an error's field prefixed with `FIELD[INDEX].`.
    ///
    /// - Throws: ``SluiceError/Code/unknownJobType`` naming `FIELD[INDEX].job_type`.
    public func placing(_ jobs: [ValidatedJob], at now: Date, field: String) throws(SluiceError) -> [ValidatedJob] {
        var placed: [ValidatedJob] = []
        placed.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            do {
                placed.append(try placing(job, at: now))
            } catch {
                throw error.inItem(index, of: field)
            }
        }
        return placed
    }
}

extension ClaimRequest {
    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        try Self.validate(workerID: workerID, leaseDuration: leaseDuration)
        guard !queues.isEmpty, queues.allSatisfy(Identifier.isValid) else {
            throw .invalidArgument("queues", "must be a non-empty list of names that each \(Identifier.rule)")
        }
        guard !jobTypes.isEmpty, jobTypes.allSatisfy(Identifier.isValid) else {
            throw .invalidArgument("job_types", "must be a non-empty list of names that each \(Identifier.rule)")
        }
        guard (0...PageLimit.maximum).contains(limit) else {
            throw .invalidArgument("limit", "must be between 0 and \(PageLimit.maximum)")
        }
    }

    /// Validates a claimer's id and lease (also for a claim by run id).
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `worker_id` or `lease_duration`.
    public static func validate(workerID: String, leaseDuration: Duration) throws(SluiceError) {
        guard !workerID.isEmpty, workerID.count <= 200 else {
            throw .invalidArgument("worker_id", "must be 1-200 characters")
        }
        guard leaseDuration > .zero else { throw .invalidArgument("lease_duration", "must be positive") }
    }
}

extension Heartbeat {
    /// Validates the heartbeat.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard leaseDuration > .zero else { throw .invalidArgument("lease_duration", "must be positive") }
        if let progress, !(0...1).contains(progress) { throw .invalidArgument("progress", "must be between 0 and 1") }
        if let message, message.count > 1000 { throw .invalidArgument("message", "must be at most 1000 characters") }
    }
}

extension RunCompletion {
    /// Validates the completion.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `rows_written`.
    public func validate() throws(SluiceError) {
        if let rowsWritten, rowsWritten < 0 { throw .invalidArgument("rows_written", "must not be negative") }
        if let progressMessage {
            guard progressMessage.count <= 1000 else {
                throw .invalidArgument("progress_message", "must be at most 1000 characters")
            }
            try StoredText.check(progressMessage, field: "progress_message")
        }
    }
}

extension LogQuery {
    /// Validates the query.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        try PageLimit.validate(limit)
        if let after, after < 0 { throw .invalidArgument("after", "must not be negative") }
    }
}

/// Checks shared by the stores for arguments without a type of their own.
public enum StoreArguments {
    /// Validates a batch limit such as the rescue limit.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument``.
    public static func validateBatch(_ limit: Int, field: String = "limit") throws(SluiceError) {
        guard (1...100_000).contains(limit) else { throw .invalidArgument(field, "must be between 1 and 100000") }
    }

    /// An error message cut to a storable length.
    public static func storableError(_ text: String) -> String {
        text.count > 4000 ? String(text.prefix(4000)) : text
    }
}
