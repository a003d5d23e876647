import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func scheduleRecurringRuns(_ request: RecurringScheduleRequest) async throws -> [Run] {
        try request.validate()
        let now = configuration.now()
        let horizon = now.addingTimeInterval(request.lookahead.seconds)
        let configuration = configuration
        let created = try await write { db in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteRows.jobColumns) FROM jobs
                    WHERE schedule_kind = 'recurring' AND status = 'active' AND next_fire_at <= ?
                    ORDER BY next_fire_at LIMIT ?
                    """, arguments: [horizon.microsecondsSince1970, request.limit]
            ).map(SQLiteRows.job)
            var created: [Run] = []
            for job in due {
                guard let nextFireAt = job.nextFireAt else { continue }
                let tick = configuration.tick(of: job, due: nextFireAt, now: now, grace: request.misfireGrace)
                if let fireTime = tick.fireTime,
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            INSERT INTO run_queue (job_id, brand_id, job_type, queue, priority, parameters, state,
                                max_attempts, scheduled_at, fire_time, created_at)
                            SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8, ?9, ?10
                            WHERE NOT EXISTS (SELECT 1 FROM run_history WHERE job_id = ?1 AND fire_time = ?9)
                            ON CONFLICT (job_id, fire_time) WHERE fire_time IS NOT NULL DO NOTHING
                            RETURNING \(SQLiteRows.runColumns)
                            """,
                        arguments: [
                            job.id, job.brandID.storageText, job.jobType, job.queue, job.priority,
                            JSONCoding.encodeString(job.parameters),
                            configuration.maxAttempts(of: job.jobType),
                            tick.scheduledAt.microsecondsSince1970, fireTime.microsecondsSince1970,
                            now.microsecondsSince1970,
                        ])
                {
                    created.append(try SQLiteRows.run(row))
                }
                if tick.missed {
                    let alert = StoredPipelineValues.missedTickAlert(
                        job: job, tick: nextFireAt, now: now, ranOnce: tick.fireTime != nil)
                    _ = try SQLiteJobStore.insertAlert(db, alert, now: now.microsecondsSince1970)
                }
                try db.execute(
                    sql: "UPDATE jobs SET next_fire_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [tick.nextFireAt?.microsecondsSince1970, now.microsecondsSince1970, job.id])
            }
            return created
        }
        if !created.isEmpty { announceWork() }
        return created
    }
}
