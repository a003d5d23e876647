import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Locks the job row, checks it and the new key's holder, then rewrites the row. A concurrent insert that takes
    /// the new key between the check and the update makes the partial unique index refuse the update, which maps to
    /// the same ``SluiceError/Code/conflict`` naming `unique_key`.
    public func updateRecurringJob(_ update: RecurringJobUpdate) async throws -> Job {
        let (cron, timeZone) = try update.storedSchedule()
        let now = configuration.now()
        let parameters = JSONCoding.encodeString(update.parameters)
        return try await transaction { connection in
            let job = try await lockJob(update.id, for: nil, on: connection)
            try RecurringJobUpdate.checkEditable(job)
            if let key = update.uniqueKey, key != job.uniqueKey {
                let holders = try await rows(
                    """
                    SELECT id FROM jobs
                    WHERE unique_key = \(key) AND status IN ('active', 'paused') AND id <> \(update.id) LIMIT 1
                    """, on: connection)
                if !holders.isEmpty { throw RecurringJobUpdate.uniqueKeyTaken }
            }
            // Runs created ahead for ticks of the old schedule that have not come yet are withdrawn: the scheduler
            // creates the new schedule's runs from next_fire_at. Due or started runs stay.
            try await connection.query(
                """
                DELETE FROM run_queue WHERE job_id = \(update.id) AND state = 'queued' AND started_at IS NULL
                    AND fire_time IS NOT NULL AND scheduled_at > \(now)
                """, logger: logger)
            guard
                let row = try await rows(
                    """
                    UPDATE jobs SET parameters = \(parameters)::jsonb, cron = \(cron), timezone = \(timeZone),
                        unique_key = \(update.uniqueKey), next_fire_at = \(update.nextFireAt), updated_at = \(now)
                    WHERE id = \(update.id)
                    RETURNING \(unescaped: PostgresRows.jobColumns)
                    """, on: connection
                ).first
            else { throw SluiceError.notFound("job", update.id) }
            return try PostgresRows.job(row)
        }
    }
}
