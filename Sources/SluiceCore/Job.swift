import Foundation

/// A scheduled unit of work for one brand: a job type, its parameters and a schedule.
public struct Job: Sendable, Hashable, Identifiable {
    /// The job's id, increasing in creation order.
    public let id: Int64
    /// The brand (tenant) the job belongs to.
    public let brandID: UUID
    /// The job type's name.
    public let jobType: String
    /// The validated parameters, defaults applied.
    public let parameters: JSONObject
    /// When the job runs.
    public let schedule: JobSchedule
    /// The job's status.
    public let status: JobStatus
    /// The queue its runs go to.
    public let queue: String
    /// The priority of its runs; lower runs first.
    public let priority: Int
    /// The uniqueness key, when its job type declares one.
    public let uniqueKey: String?
    /// For a recurring job: the next cron tick that has no run yet.
    public let nextFireAt: Date?
    /// When the job was created.
    public let createdAt: Date
    /// When the job last changed.
    public let updatedAt: Date

    /// Creates a job value (stores build these from rows).
    public init(
        id: Int64, brandID: UUID, jobType: String, parameters: JSONObject, schedule: JobSchedule, status: JobStatus,
        queue: String, priority: Int, uniqueKey: String?, nextFireAt: Date?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.brandID = brandID
        self.jobType = jobType
        self.parameters = parameters
        self.schedule = schedule
        self.status = status
        self.queue = queue
        self.priority = priority
        self.uniqueKey = uniqueKey
        self.nextFireAt = nextFireAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
