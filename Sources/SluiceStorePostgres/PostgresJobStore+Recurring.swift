import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func scheduleRecurringRuns(_ request: RecurringScheduleRequest) async throws -> [Run] {
        try request.validate()
        let now = configuration.now()
        let horizon = now.addingTimeInterval(request.lookahead.seconds)
        let configuration = configuration
        return try await transaction { connection in
            let due = try await rows(
                """
                SELECT \(unescaped: PostgresRows.jobColumns) FROM jobs
                WHERE schedule_kind = 'recurring' AND status = 'active' AND next_fire_at <= \(horizon)
                ORDER BY next_fire_at LIMIT \(request.limit) FOR UPDATE SKIP LOCKED
                """, on: connection
            ).map(PostgresRows.job)
            var created: [Run] = []
            for job in due {
                guard let nextFireAt = job.nextFireAt else { continue }
                let tick = configuration.tick(of: job, due: nextFireAt, now: now, grace: request.misfireGrace)
                if let fireTime = tick.fireTime {
                    let maxAttempts = configuration.maxAttempts(of: job.jobType)
                    created += try await rows(
                        """
                        INSERT INTO run_queue AS runs (job_id, brand_id, job_type, queue, priority, parameters, state, max_attempts,
                            scheduled_at, fire_time, created_at)
                        SELECT \(job.id), \(job.brandID), \(job.jobType), \(job.queue), \(job.priority),
                            \(JSONCoding.encodeString(job.parameters))::jsonb, 'queued', \(maxAttempts), \(tick.scheduledAt),
                            \(fireTime), \(now)
                        WHERE NOT EXISTS (
                            SELECT 1 FROM run_history WHERE job_id = \(job.id) AND fire_time = \(fireTime))
                        ON CONFLICT (job_id, fire_time) WHERE fire_time IS NOT NULL DO NOTHING
                        RETURNING \(unescaped: PostgresRows.runColumns)
                        """, on: connection
                    ).map(PostgresRows.run)
                }
                if tick.missed {
                    let alert = StoredPipelineValues.missedTickAlert(
                        job: job, tick: nextFireAt, now: now, ranOnce: tick.fireTime != nil)
                    _ = try await Self.insertAlert(alert, now: now) { query in try await rows(query, on: connection) }
                }
                try await connection.query(
                    "UPDATE jobs SET next_fire_at = \(tick.nextFireAt), updated_at = \(now) WHERE id = \(job.id)",
                    logger: logger)
            }
            try await notifyWork(created.map(\.queue), on: connection)
            return created
        }
    }
}
