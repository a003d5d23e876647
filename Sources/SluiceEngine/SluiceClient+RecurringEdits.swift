import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
    /// Edits a recurring job in place (the dashboard's "Edit" of a recurring schedule) and returns it edited.
    ///
    /// The parameters, cron expression and IANA time zone are validated exactly as `enqueue` validates a recurring
    /// request of the job's type: the schema (defaults applied), the job type's admission check, the expression and
    /// the zone. The uniqueness key follows the new parameters (a key given explicitly at enqueue is kept), and the
    /// scheduler fires the new schedule from its first tick after now. Runs already created keep their parameters
    /// and due times; the job's type, brand, queue, priority and status (active or paused) are unchanged.
    ///
    /// ```swift
    /// let job = try await client.updateRecurringJob(
    ///     id: id, parameters: ["ad_account_id": "act_1", "days": 7], cron: "30 6 * * *", timeZone: "Europe/Berlin")
    /// ```
    ///
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` naming `schedule` for a one-time job,
    ///   `status` for a cancelled or finished one, `unique_key` when another active or paused job holds the new key;
    ///   ``SluiceError/Code/invalidParameters`` with every problem, ``SluiceError/Code/invalidCron`` (field `cron`)
    ///   and ``SluiceError/Code/unknownTimeZone`` (field `timezone`), as enqueueing throws them.
    public func updateRecurringJob(
        id: Int64, parameters: JSONObject, cron: String, timeZone: String
    ) async throws -> Job {
        let job = try await store.job(id: id)
        try RecurringJobUpdate.checkEditable(job)
        // No priority: an edit keeps the job's own, which it does not change (a job type's default may lie outside the
        // range a request may ask for).
        let validated = try await admitted(
            JobRequest(
                brandID: job.brandID, jobType: job.jobType, parameters: parameters,
                schedule: .cron(cron, timeZone: timeZone)))
        // A key derived from the parameters follows them; one given at enqueue (`JobRequest.uniqueKey`) stays.
        let derived = JobRequest.uniqueKey(type: validated.type, brandID: job.brandID, parameters: job.parameters)
        let uniqueKey = job.uniqueKey == nil || job.uniqueKey == derived ? validated.uniqueKey : job.uniqueKey
        return try await store.updateRecurringJob(
            RecurringJobUpdate(id: id, validated: validated, uniqueKey: uniqueKey))
    }
}
