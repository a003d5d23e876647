import Foundation
import SluiceCore

/// An edit of a recurring job in place: new parameters, cron schedule and uniqueness key, taken from a
/// ``ValidatedJob`` (so a store never receives parameters that skipped validation), and the tick the scheduler fires
/// next.
///
/// ```swift
/// let validated = try request.validated(against: registry, now: now)
/// let job = try await store.updateRecurringJob(
///     RecurringJobUpdate(id: id, validated: validated, uniqueKey: validated.uniqueKey))
/// ```
public struct RecurringJobUpdate: Sendable, Hashable {
    /// The job to edit.
    public let id: Int64
    /// The new parameters, validated against the job type's schema (defaults applied).
    public let parameters: JSONObject
    /// The new schedule; must be ``JobSchedule/recurring(cron:timeZone:)``.
    public let schedule: JobSchedule
    /// The new uniqueness key, or nil for none.
    public let uniqueKey: String?
    /// The next cron tick of the new schedule that has no run yet; the scheduler fires from it.
    public let nextFireAt: Date

    /// The edit of job `id` to the parameters and schedule of `validated`, firing from its first tick.
    ///
    /// - Parameters:
    ///   - id: The job to edit.
    ///   - validated: The edit as a validated request of the job's brand and type.
    ///   - uniqueKey: The job's uniqueness key after the edit (a key given at enqueue stays; one derived from the
    ///     parameters follows them).
    public init(id: Int64, validated: ValidatedJob, uniqueKey: String?) {
        self.id = id
        self.parameters = validated.parameters
        self.schedule = validated.schedule
        self.uniqueKey = uniqueKey
        self.nextFireAt = validated.firstRunAt
    }

    /// The new schedule's cron expression and time zone identifier, as the stores keep them.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `schedule` when it is not recurring.
    public func storedSchedule() throws(SluiceError) -> (cron: String, timeZone: String) {
        guard case .recurring(let cron, let timeZone) = schedule else {
            throw .invalidArgument("schedule", "must be a recurring schedule")
        }
        return (cron.expression, timeZone.ianaName)
    }

    /// Checks that `job`'s schedule and parameters may be edited: it is recurring, and active or paused.
    /// - Throws: ``SluiceError/Code/conflict`` naming `schedule` for a one-time job, or `status` for a cancelled or
    ///   finished one.
    public static func checkEditable(_ job: Job) throws(SluiceError) {
        guard job.schedule.isRecurring else {
            throw SluiceError(
                .conflict, "job \(job.id) runs once; only a recurring job can be edited", field: "schedule")
        }
        guard job.status == .active || job.status == .paused else {
            throw SluiceError(.conflict, "a \(job.status.rawValue) job cannot be edited", field: "status")
        }
    }

    /// The error when another job that holds uniqueness (active or paused) has the new key; the same as an insert
    /// that loses the key's unique index.
    public static let uniqueKeyTaken = SluiceError(
        .conflict, "another active job holds the same uniqueness key", field: "unique_key")
}
