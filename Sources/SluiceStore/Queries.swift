import Foundation
import SluiceCore

/// A job inserted, or the existing active job that holds the same uniqueness key.
public struct InsertedJob: Sendable, Hashable {
    /// The job.
    public let job: Job
    /// Its first (for a deduplicated job: its latest) run.
    public let run: Run?
    /// True when the uniqueness key matched an active job and nothing was inserted.
    public let deduplicated: Bool

    /// Creates a result.
    public init(job: Job, run: Run?, deduplicated: Bool) {
        self.job = job
        self.run = run
        self.deduplicated = deduplicated
    }
}

/// A filter on one parameter's value, such as `competitor_id = "…"`.
public struct ParameterFilter: Sendable, Hashable {
    /// The parameter's name.
    public let name: String
    /// The value it must equal (strings, numbers and booleans).
    public let value: JSONValue

    /// Creates a filter.
    public init(_ name: String, equals value: JSONValue) {
        self.name = name
        self.value = value
    }

    /// Validates the filter.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `parameter`.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(name) else { throw .invalidArgument("parameter", "name \(Identifier.rule)") }
        switch value {
        case .string, .int, .bool: return
        default: throw .invalidArgument("parameter", "value must be a string, an integer or a boolean")
        }
    }
}

/// Which jobs to list.
public struct JobQuery: Sendable, Hashable {
    /// Only jobs of this brand.
    public var brandID: UUID?
    /// Only jobs of this type.
    public var jobType: String?
    /// Only jobs in this status.
    public var status: JobStatus?
    /// Only jobs whose parameters match every one of these.
    public var parameters: [ParameterFilter]
    /// Only recurring jobs (true), only one-time jobs (false), or both (nil).
    public var recurring: Bool?
    /// Page size, 1...1000. Defaults to 50.
    public var limit: Int
    /// The cursor of the page to fetch.
    public var cursor: String?

    /// Creates a query.
    public init(
        brandID: UUID? = nil, jobType: String? = nil, status: JobStatus? = nil, parameter: ParameterFilter? = nil,
        parameters: [ParameterFilter] = [], recurring: Bool? = nil, limit: Int = 50, cursor: String? = nil
    ) {
        self.brandID = brandID
        self.jobType = jobType
        self.status = status
        self.parameters = (parameter.map { [$0] } ?? []) + parameters
        self.recurring = recurring
        self.limit = limit
        self.cursor = cursor
    }
}

/// Which runs to list.
public struct RunQuery: Sendable, Hashable {
    /// Only runs of this brand.
    public var brandID: UUID?
    /// Only runs of this job.
    public var jobID: Int64?
    /// Only runs of this job type.
    public var jobType: String?
    /// Only runs in one of these states (all states when empty).
    public var states: [RunState]
    /// Only runs whose parameters match every one of these, such as `competitor_id`.
    public var parameters: [ParameterFilter]
    /// Page size, 1...1000. Defaults to 50.
    public var limit: Int
    /// The cursor of the page to fetch.
    public var cursor: String?

    /// Creates a query.
    public init(
        brandID: UUID? = nil, jobID: Int64? = nil, jobType: String? = nil, states: [RunState] = [],
        parameter: ParameterFilter? = nil, parameters: [ParameterFilter] = [], limit: Int = 50, cursor: String? = nil
    ) {
        self.brandID = brandID
        self.jobID = jobID
        self.jobType = jobType
        self.states = states
        self.parameters = (parameter.map { [$0] } ?? []) + parameters
        self.limit = limit
        self.cursor = cursor
    }
}

/// A worker's request for due runs.
public struct ClaimRequest: Sendable, Hashable {
    /// The claiming worker's id.
    public var workerID: String
    /// The queues to claim from.
    public var queues: [String]
    /// The job types the worker has handlers for; runs of other types are left alone.
    public var jobTypes: [String]
    /// The most runs to claim (the worker's free capacity), 0...1000.
    public var limit: Int
    /// How long the lease lasts unless renewed by a heartbeat. Defaults to 30 seconds.
    public var leaseDuration: Duration

    /// Creates a request.
    public init(
        workerID: String, queues: [String] = ["default"], jobTypes: [String], limit: Int,
        leaseDuration: Duration = .seconds(30)
    ) {
        self.workerID = workerID
        self.queues = queues
        self.jobTypes = jobTypes
        self.limit = limit
        self.leaseDuration = leaseDuration
    }
}

/// A worker's heartbeat for a running run, optionally with progress.
public struct Heartbeat: Sendable, Hashable {
    /// The lease held.
    public var lease: RunLease
    /// The new lease duration from now.
    public var leaseDuration: Duration
    /// Progress, 0...1, if reported.
    public var progress: Double?
    /// A progress message, if reported.
    public var message: String?

    /// Creates a heartbeat.
    public init(
        lease: RunLease, leaseDuration: Duration = .seconds(30), progress: Double? = nil, message: String? = nil
    ) {
        self.lease = lease
        self.leaseDuration = leaseDuration
        self.progress = progress
        self.message = message
    }
}

/// The answer to a heartbeat.
public struct HeartbeatResult: Sendable, Hashable {
    /// The renewed lease.
    public let lease: RunLease
    /// Whether cancellation of the run was requested.
    public let cancelRequested: Bool

    /// Creates a result.
    public init(lease: RunLease, cancelRequested: Bool) {
        self.lease = lease
        self.cancelRequested = cancelRequested
    }
}

/// The outcome of a successful run.
public struct RunCompletion: Sendable, Hashable {
    /// A small result document, such as `{"ads_found": 312}`.
    public var result: JSONObject
    /// Rows written to the job type's dataset, if it has one.
    public var rowsWritten: Int64?
    /// Follow-up jobs to enqueue in the same transaction as the completion: they exist if and only if the run is
    /// recorded as succeeded (a refused completion creates none).
    public var followUps: [JobRequest]
    /// The handler's last progress message, if the heartbeats have not sent it yet: written with the outcome, so a
    /// finished run never shows a stale one. Nil keeps the stored message.
    public var progressMessage: String?

    /// Creates a completion.
    public init(
        result: JSONObject = [:], rowsWritten: Int64? = nil, followUps: [JobRequest] = [],
        progressMessage: String? = nil
    ) {
        self.result = result
        self.rowsWritten = rowsWritten
        self.followUps = followUps
        self.progressMessage = progressMessage
    }
}

/// A failed or timed-out attempt.
public struct RunFailure: Sendable, Hashable {
    /// The error, as shown to operators.
    public var error: String
    /// When to retry; nil for a terminal failure.
    public var retryAt: Date?
    /// Whether the attempt exceeded its timeout.
    public var timedOut: Bool

    /// Creates a failure.
    public init(error: String, retryAt: Date?, timedOut: Bool = false) {
        self.error = error
        self.retryAt = retryAt
        self.timedOut = timedOut
    }
}
