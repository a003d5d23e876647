import Foundation
import SluiceCore

/// The values a store writes on insert, built in Swift so that inserts need only the new ids back from the database.
extension ValidatedJob {
    /// The job as stored under `id` at `now` (instants at the stores' microsecond precision).
    public func storedJob(id: Int64, now: Date) -> Job {
        let storedSchedule: JobSchedule =
            if case .once(let date) = schedule { .once(at: date.roundedToMicroseconds) } else { schedule }
        return Job(
            id: id, brandID: brandID, jobType: type.name, parameters: parameters, schedule: storedSchedule,
            status: .active,
            queue: type.queue, priority: priority, uniqueKey: uniqueKey, nextFireAt: nextFireAt, createdAt: now,
            updatedAt: now)
    }

    /// The first run's fire time: its due time for a recurring job, none for a one-time job.
    public var firstFireTime: Date? { schedule.isRecurring ? firstRunAt : nil }
}

extension Job {
    /// A new queued run of this job as stored under `id`.
    public func newRun(id: Int64, maxAttempts: Int, due: Date, fireTime: Date?, now: Date) -> Run {
        Run(
            id: id, jobID: self.id, brandID: brandID, jobType: jobType, queue: queue, priority: priority,
            parameters: parameters, state: .queued, attempt: 0, maxAttempts: maxAttempts, scheduledAt: due,
            fireTime: fireTime, createdAt: now, startedAt: nil, finishedAt: nil, workerID: nil, leaseExpiresAt: nil,
            cancelRequested: false, progress: nil, progressMessage: nil, error: nil, result: nil, rowsWritten: nil)
    }
}
