import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Inserts a recurring job without a uniqueness key and its first run, and announces it, in one statement (one
    /// round trip, one commit): the ids come from the sequence in a CTE, and the values returned are built in Swift.
    func insertWithoutKey(_ job: ValidatedJob, now: Date) async throws -> InsertedJob {
        var cron: String?
        var timeZone: String?
        var runAt: Date?
        switch job.schedule {
        case .once(let date): runAt = date
        case .recurring(let schedule, let zone):
            cron = schedule.expression
            timeZone = zone.ianaName
        }
        let parameters = JSONCoding.encodeString(job.parameters)
        let kind = job.schedule.isRecurring ? "recurring" : "once"
        let maxAttempts = job.type.retryPolicy.maxAttempts
        let row = try await rows(
            """
            WITH ids AS (SELECT nextval('runs_id_seq') AS job_id, nextval('runs_id_seq') AS run_id),
            new_job AS (
                INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, cron, timezone, status, queue,
                    priority, next_fire_at, created_at, updated_at)
                SELECT job_id, \(job.brandID), \(job.type.name), \(parameters)::jsonb, \(kind), \(runAt), \(cron),
                    \(timeZone), 'active', \(job.type.queue), \(job.priority), \(job.nextFireAt), \(now), \(now)
                FROM ids
            ), new_run AS (
                INSERT INTO run_queue AS runs (id, job_id, brand_id, job_type, queue, priority, parameters, state, max_attempts,
                    scheduled_at, fire_time, created_at)
                SELECT run_id, job_id, \(job.brandID), \(job.type.name), \(job.type.queue), \(job.priority),
                    \(parameters)::jsonb, 'queued', \(maxAttempts), \(job.firstRunAt), \(job.firstFireTime), \(now)
                FROM ids
            ), announced AS (SELECT pg_notify(\(Self.workChannel), \(job.type.queue)))
            SELECT job_id, run_id FROM ids, announced
            """)[0]
        let stored = job.storedJob(id: try row["job_id"].decode(Int64.self), now: now)
        let run = stored.newRun(
            id: try row["run_id"].decode(Int64.self), maxAttempts: maxAttempts,
            due: job.firstRunAt.roundedToMicroseconds,
            fireTime: job.firstFireTime?.roundedToMicroseconds, now: now)
        return InsertedJob(job: stored, run: run, deduplicated: false)
    }
}
