import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

/// One-time jobs stored as their run alone (``JobsStoredAsRuns``, migration 10).
extension PostgresJobStore {
    /// The `jobs` columns of the jobs stored as runs of a run table aliased `runs`, with `status` for all of them.
    static func jobColumnsOfRuns(status: JobStatus) -> String {
        """
        runs.id, runs.brand_id, runs.job_type, runs.parameters::text AS parameters, 'once' AS schedule_kind,
        runs.fire_time AS run_at, NULL::text AS cron, NULL::text AS timezone, '\(status.rawValue)' AS status,
        runs.queue, runs.priority, NULL::text AS unique_key, NULL::timestamptz AS next_fire_at, runs.created_at,
        COALESCE(runs.finished_at, runs.created_at) AS updated_at
        """
    }

    /// The condition that a run of the table aliased `runs` is a job stored as its run alone.
    static let runIsJob = "runs.job_id = runs.id AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = runs.id)"

    /// The statement that reads the jobs matching `conditions` (each table's own, over the `jobs` columns) newest
    /// first: the `jobs` rows, and the jobs stored as runs in whichever run table can hold their status.
    static func jobsSelect(
        conditions: [String], status: JobStatus?, recurring: Bool?, limit: Int
    ) -> String {
        var jobConditions = conditions
        if let status { jobConditions.append("status = '\(status.rawValue)'") }
        if let recurring { jobConditions.append(recurring ? "schedule_kind = 'recurring'" : "schedule_kind = 'once'") }
        var branches = ["SELECT \(PostgresRows.jobColumns) FROM jobs \(whereClause(jobConditions))"]
        if recurring != true {
            for (table, tableStatus) in [("run_queue", JobStatus.active), ("run_history", .finished)]
            where status == nil || status == tableStatus {
                branches.append(
                    """
                    SELECT \(jobColumnsOfRuns(status: tableStatus)) FROM \(table) AS runs
                    \(whereClause(conditions.map { "runs." + $0 } + [runIsJob]))
                    """)
            }
        }
        return "SELECT * FROM (\(branches.joined(separator: " UNION ALL "))) AS jobs ORDER BY id DESC LIMIT \(limit)"
    }

    private static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// Inserts a job stored as its run and announces it, in one statement; the brand is locked against deletion
    /// until the insert commits, as a foreign key would.
    ///
    /// - Throws: ``BrandRules/missingReference`` when the brand does not exist.
    func insertStoredAsRun(_ job: ValidatedJob, now: Date) async throws -> InsertedJob {
        let rows = try await rows(
            """
            WITH brand AS (SELECT id FROM brands WHERE id = \(job.brandID) FOR KEY SHARE),
            new_run AS (
                INSERT INTO run_queue AS runs (id, job_id, brand_id, job_type, queue, priority, parameters, state,
                    max_attempts, scheduled_at, fire_time, created_at)
                SELECT n.id, n.id, brand.id, \(job.type.name), \(job.type.queue), \(job.priority),
                    \(JSONCoding.encodeString(job.parameters))::jsonb, 'queued', \(job.type.retryPolicy.maxAttempts),
                    \(job.firstRunAt), \(JobsStoredAsRuns.runAt(of: job)), \(now)
                FROM brand, (SELECT nextval('runs_id_seq') AS id) AS n
                RETURNING id
            ), announced AS (SELECT pg_notify(\(Self.workChannel), \(job.type.queue)) FROM new_run)
            SELECT new_run.id FROM new_run, announced
            """)
        guard let row = rows.first else { throw BrandRules.missingReference }
        return JobsStoredAsRuns.inserted(job, id: try row["id"].decode(Int64.self), now: now)
    }

    /// Inserts jobs stored as runs and announces them in one statement: all of them, or none when a brand does not
    /// exist (their brands locked against deletion until the insert commits).
    ///
    /// - Throws: ``BrandRules/missingReference`` when a brand does not exist.
    func insertStoredAsRuns(
        _ jobs: [ValidatedJob], now: Date, on connection: PostgresConnection? = nil
    ) async throws -> [InsertedJob] {
        guard !jobs.isEmpty else { return [] }
        let brands = Array(Set(jobs.map(\.brandID)))
        let queues = Array(Set(jobs.map(\.type.queue))).sorted()
        let query: PostgresQuery = """
            WITH brand AS (SELECT id FROM brands WHERE id = ANY(\(brands)) FOR KEY SHARE),
            input AS MATERIALIZED (
                SELECT nextval('runs_id_seq') AS id, i.* FROM unnest(\(jobs.map(\.brandID)), \(jobs.map(\.type.name)),
                    \(jobs.map { JSONCoding.encodeString($0.parameters) }), \(jobs.map(\.firstRunAt)),
                    \(jobs.map(JobsStoredAsRuns.runAt(of:))), \(jobs.map(\.type.queue)),
                    \(jobs.map { Int64($0.priority) }), \(jobs.map { Int64($0.type.retryPolicy.maxAttempts) }))
                    WITH ORDINALITY AS i(brand_id, job_type, parameters, due, run_at, queue, priority, max_attempts, n)
                WHERE (SELECT count(*) FROM brand) = \(brands.count)
            ), new_runs AS (
                INSERT INTO run_queue AS runs (id, job_id, brand_id, job_type, queue, priority, parameters, state,
                    max_attempts, scheduled_at, fire_time, created_at)
                SELECT id, id, brand_id, job_type, queue, priority, parameters::jsonb, 'queued', max_attempts, due, run_at,
                    \(now)
                FROM input
            ), announced AS (
                SELECT pg_notify(\(Self.workChannel), queue) FROM unnest(\(queues)) AS q(queue)
                WHERE EXISTS (SELECT 1 FROM input)
            )
            SELECT id FROM input WHERE (SELECT count(*) FROM announced) >= 0 ORDER BY n
            """
        let ids =
            if let connection { try await rows(query, on: connection) } else { try await rows(query) }
        guard ids.count == jobs.count else { throw BrandRules.missingReference }
        return try zip(jobs, ids).map { job, row in
            JobsStoredAsRuns.inserted(job, id: try row["id"].decode(Int64.self), now: now)
        }
    }

    /// The job `id`, from `jobs` or stored as a run: ``jobsSelect(conditions:status:recurring:limit:)`` for one id.
    static func jobQuery(id: Int64) -> PostgresQuery {
        var filter = PostgresFilter()
        filter.add("id = $?", id)
        return filter.query(jobsSelect(conditions: filter.conditions, status: nil, recurring: nil, limit: 1))
    }

    /// The job stored as run `id`, if it is one, given a `jobs` row made from the run under its lock (see
    /// ``JobsStoredAsRuns``).
    func materializeStoredJob(
        _ id: Int64, for event: JobEvent, on connection: PostgresConnection
    ) async throws
        -> Job?
    {
        guard let run = try await lockRunStoredAsJob(id, on: connection) else { return nil }
        let status = try JobsStoredAsRuns.status(materializing: run, for: event)
        return try await rows(
            """
            INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, status, queue, priority,
                created_at, updated_at)
            SELECT id, brand_id, job_type, parameters, 'once', fire_time, \(status.rawValue), queue, priority,
                created_at, COALESCE(finished_at, created_at)
            FROM runs WHERE id = \(id)
            RETURNING \(unescaped: PostgresRows.jobColumns)
            """, on: connection
        ).first.map(PostgresRows.job)
    }

    /// Run `id`, locked, if it is a job stored as its run alone.
    func lockRunStoredAsJob(_ id: Int64, on connection: PostgresConnection) async throws -> Run? {
        let run: Run
        do {
            run = try await lockRun(id, on: connection)
        } catch let error as SluiceError where error.code == .notFound {
            return nil
        }
        return run.jobID == run.id ? run : nil
    }
}
