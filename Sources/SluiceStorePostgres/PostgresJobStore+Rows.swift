import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Inserts a validated job and its first run, or returns the active job holding its uniqueness key.
    /// A concurrent insert of the same key waits on the unique index; the loser reads the winner's job.
    func insert(_ job: ValidatedJob, now: Date, on connection: PostgresConnection) async throws -> InsertedJob {
        var cron: String?
        var timeZone: String?
        var runAt: Date?
        switch job.schedule {
        case .once(let date): runAt = date.roundedToMicroseconds
        case .recurring(let schedule, let zone):
            cron = schedule.expression
            timeZone = zone.ianaName
        }
        let kind = job.schedule.isRecurring ? "recurring" : "once"
        let parameters = JSONCoding.encodeString(job.parameters)
        for _ in 0..<5 {
            let inserted = try await rows(
                """
                INSERT INTO jobs (brand_id, job_type, parameters, schedule_kind, run_at, cron, timezone, status, queue,
                    priority, unique_key, next_fire_at, created_at, updated_at)
                VALUES (\(job.brandID), \(job.type.name), \(parameters)::jsonb, \(kind), \(runAt), \(cron), \(timeZone),
                    'active', \(job.type.queue), \(job.priority), \(job.uniqueKey), \(job.nextFireAt), \(now), \(now))
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND status IN ('active', 'paused') DO NOTHING
                RETURNING \(unescaped: PostgresRows.jobColumns)
                """, on: connection
            ).first.map(PostgresRows.job)
            if let inserted {
                let run = try await insertRun(
                    job: inserted, maxAttempts: job.type.retryPolicy.maxAttempts,
                    due: job.firstRunAt.roundedToMicroseconds,
                    fireTime: job.schedule.isRecurring ? job.firstRunAt.roundedToMicroseconds : nil, now: now,
                    on: connection)
                return InsertedJob(job: inserted, run: run, deduplicated: false)
            }
            let existing = try await rows(
                """
                SELECT \(unescaped: PostgresRows.jobColumns) FROM jobs
                WHERE unique_key = \(job.uniqueKey) AND status IN ('active', 'paused')
                """, on: connection
            ).first.map(PostgresRows.job)
            if let existing {
                let run = try await rows(
                    """
                    SELECT \(unescaped: PostgresRows.runColumns) FROM runs WHERE job_id = \(existing.id)
                    ORDER BY id DESC LIMIT 1
                    """, on: connection
                ).first.map(PostgresRows.run)
                return InsertedJob(job: existing, run: run, deduplicated: true)
            }
        }
        throw SluiceError(.conflict, "the uniqueness key kept changing hands; try again", field: "unique_key")
    }

    func insertRun(
        job: Job, maxAttempts: Int, due: Date, fireTime: Date?, now: Date, on connection: PostgresConnection
    ) async throws -> Run {
        try await fetchRun(
            """
            INSERT INTO run_queue AS runs (job_id, brand_id, job_type, queue, priority, parameters, state, paused, max_attempts,
                scheduled_at, fire_time, created_at)
            VALUES (\(job.id), \(job.brandID), \(job.jobType), \(job.queue), \(job.priority),
                \(JSONCoding.encodeString(job.parameters))::jsonb, 'queued', \(job.status == .paused), \(maxAttempts),
                \(due), \(fireTime), \(now))
            RETURNING \(unescaped: PostgresRows.runColumns)
            """, on: connection)
    }

    /// The job, locked for update until the transaction ends. A job stored as its run alone is given its `jobs` row
    /// first, for `event` (see ``JobsStoredAsRuns``); with `event` nil it is read from its run, without a row or lock.
    ///
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` for a job stored as a running run.
    func lockJob(_ id: Int64, for event: JobEvent?, on connection: PostgresConnection) async throws -> Job {
        if let row = try await rows(
            "SELECT \(unescaped: PostgresRows.jobColumns) FROM jobs WHERE id = \(id) FOR UPDATE", on: connection
        ).first {
            return try PostgresRows.job(row)
        }
        let job =
            if let event {
                try await materializeStoredJob(id, for: event, on: connection)
            } else {
                try await rows(Self.jobQuery(id: id), on: connection).first.map(PostgresRows.job)
            }
        guard let job else { throw SluiceError.notFound("job", id) }
        return job
    }

    /// The run, locked for update until the transaction ends.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func lockRun(_ id: Int64, on connection: PostgresConnection) async throws -> Run {
        // Queue first, then history: a run that finished while this looked is found in the history, and one retried
        // meanwhile on the second pass.
        for table in ["run_queue", "run_history", "run_queue"] {
            if let row = try await rows(
                "SELECT \(unescaped: PostgresRows.runColumns) FROM \(unescaped: table) AS runs WHERE id = \(id) FOR UPDATE",
                on: connection
            ).first {
                return try PostgresRows.run(row)
            }
        }
        throw SluiceError.notFound("run", id)
    }

    func setStatus(_ status: JobStatus, of id: Int64, now: Date, on connection: PostgresConnection) async throws -> Job
    {
        guard
            let row = try await rows(
                """
                UPDATE jobs SET status = \(status.rawValue), updated_at = \(now) WHERE id = \(id)
                RETURNING \(unescaped: PostgresRows.jobColumns)
                """, on: connection
            ).first
        else { throw SluiceError.notFound("job", id) }
        return try PostgresRows.job(row)
    }

    /// Runs a statement that returns one run.
    func fetchRun(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Run {
        guard let row = try await rows(query, on: connection).first else {
            throw SluiceError(.storageFailure, "statement returned no run")
        }
        return try PostgresRows.run(row)
    }

    /// Marks a one-time job finished once its run ended.
    func finishOneTimeJob(_ jobID: Int64, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE jobs SET status = 'finished', updated_at = \(now)
            WHERE id = \(jobID) AND schedule_kind = 'once' AND status IN ('active', 'paused')
            """, logger: logger)
    }
}
