import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Checks the job and the new key's holder, then rewrites the job row; a key taken by a concurrent writer
    /// cannot slip in (one writer at a time), and the partial unique index would refuse it anyway.
    public func updateRecurringJob(_ update: RecurringJobUpdate) async throws -> Job {
        let (cron, timeZone) = try update.storedSchedule()
        let now = configuration.now()
        let parameters = JSONCoding.encodeString(update.parameters)
        return try await write { db in
            let job = try Self.fetchJob(update.id, in: db)
            try RecurringJobUpdate.checkEditable(job)
            if let key = update.uniqueKey, key != job.uniqueKey {
                let holder = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM jobs
                        WHERE unique_key = ? AND status IN ('active', 'paused') AND id <> ? LIMIT 1
                        """, arguments: [key, update.id])
                if holder != nil { throw RecurringJobUpdate.uniqueKeyTaken }
            }
            // Runs created ahead for ticks of the old schedule that have not come yet are withdrawn: the scheduler
            // creates the new schedule's runs from next_fire_at. Due or started runs stay.
            try db.execute(
                sql: """
                    DELETE FROM run_queue WHERE job_id = ? AND state = 'queued' AND started_at IS NULL
                        AND fire_time IS NOT NULL AND scheduled_at > ?
                    """, arguments: [update.id, now.microsecondsSince1970])
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE jobs SET parameters = ?, cron = ?, timezone = ?, unique_key = ?, next_fire_at = ?,
                            updated_at = ?
                        WHERE id = ? RETURNING \(SQLiteRows.jobColumns)
                        """,
                    arguments: [
                        parameters, cron, timeZone, update.uniqueKey, update.nextFireAt.microsecondsSince1970,
                        now.microsecondsSince1970, update.id,
                    ])
            else { throw SluiceError.notFound("job", update.id) }
            return try SQLiteRows.job(row)
        }
    }
}
