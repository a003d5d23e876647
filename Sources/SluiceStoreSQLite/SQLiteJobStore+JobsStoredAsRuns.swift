import Foundation
import GRDB
import SluiceCore
import SluiceStore

/// One-time jobs stored as their run alone (``JobsStoredAsRuns``, migration 10).
extension SQLiteJobStore {
    /// The `jobs` columns of the jobs stored as runs of a run table, with `status` for all of them.
    static func jobColumnsOfRuns(status: JobStatus) -> String {
        """
        id, brand_id, job_type, parameters, 'once' AS schedule_kind, fire_time AS run_at, NULL AS cron,
        NULL AS timezone, '\(status.rawValue)' AS status, queue, priority, NULL AS unique_key, NULL AS next_fire_at,
        created_at, coalesce(finished_at, created_at) AS updated_at
        """
    }

    /// The condition that a run of `table` is a job stored as its run alone.
    static func runIsJob(_ table: String) -> String {
        "\(table).job_id = \(table).id AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = \(table).id)"
    }

    /// The statement that reads the jobs matching `filter` (over the `jobs` columns) newest first, and its
    /// arguments: the `jobs` rows, and the jobs stored as runs in whichever run table can hold their status.
    static func jobsSelect(
        filter: SQLFilter, status: JobStatus?, recurring: Bool?, limit: Int
    ) -> (
        sql: String, arguments: StatementArguments
    ) {
        var jobConditions = filter.conditions
        if let status { jobConditions.append("status = '\(status.rawValue)'") }
        if let recurring { jobConditions.append(recurring ? "schedule_kind = 'recurring'" : "schedule_kind = 'once'") }
        var branches = ["SELECT \(SQLiteRows.jobColumns) FROM jobs \(whereClause(jobConditions))"]
        var arguments = filter.arguments
        if recurring != true {
            for (table, tableStatus) in [("run_queue", JobStatus.active), ("run_history", .finished)]
            where status == nil || status == tableStatus {
                branches.append(
                    """
                    SELECT \(jobColumnsOfRuns(status: tableStatus)) FROM \(table)
                    \(whereClause(filter.conditions + [runIsJob(table)]))
                    """)
                arguments += filter.arguments
            }
        }
        return ("\(branches.joined(separator: " UNION ALL ")) ORDER BY id DESC LIMIT \(limit)", arguments)
    }

    private static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// The job `id`, from `jobs` or stored as a run: ``jobsSelect(filter:status:recurring:limit:)`` for one id.
    static func fetchJob(_ id: Int64, in db: Database) throws -> Job {
        var filter = SQLFilter()
        filter.add("id = ?", id)
        let (sql, arguments) = jobsSelect(filter: filter, status: nil, recurring: nil, limit: 1)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) else {
            throw SluiceError.notFound("job", id)
        }
        return try SQLiteRows.job(row)
    }

    /// The job `id` for an operator's `event`: a job stored as its run alone is given its `jobs` row first (see
    /// ``JobsStoredAsRuns``).
    ///
    /// - Throws: ``SluiceError/Code/notFound``; ``SluiceError/Code/conflict`` for a job stored as a running run.
    static func jobForChange(_ id: Int64, for event: JobEvent, in db: Database) throws -> Job {
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE id = ?"), arguments: [id])
        {
            return try SQLiteRows.job(row)
        }
        guard let run = try runStoredAsJob(id, in: db) else { throw SluiceError.notFound("job", id) }
        let status = try JobsStoredAsRuns.status(materializing: run, for: event)
        let row = try Row.fetchOne(
            db,
            sql: """
                INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, status, queue, priority,
                    created_at, updated_at)
                SELECT id, brand_id, job_type, parameters, 'once', fire_time, ?, queue, priority, created_at,
                    coalesce(finished_at, created_at)
                FROM runs WHERE id = ?
                RETURNING \(SQLiteRows.jobColumns)
                """, arguments: [status.rawValue, id])
        guard let row else { throw SluiceError.notFound("job", id) }
        return try SQLiteRows.job(row)
    }

    /// Run `id`, if it is a job stored as its run alone.
    static func runStoredAsJob(_ id: Int64, in db: Database) throws -> Run? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.runColumns) FROM runs WHERE id = ?", arguments: [id])
        else { return nil }
        let run = try SQLiteRows.run(row)
        return run.jobID == run.id ? run : nil
    }

    /// Takes `count` ids from the one sequence of jobs and runs (`run_queue`'s) and returns the first.
    static func takeIDs(_ count: Int, in db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(
            sql: "UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'run_queue' RETURNING seq")
        guard let last = try Int64.fetchOne(statement, arguments: [count]) else {
            throw SluiceError(.storageFailure, "the run_queue sequence is missing")
        }
        return last - Int64(count) + 1
    }

    /// Inserts jobs stored as runs with one cached statement, after checking that their brands exist.
    ///
    /// - Throws: ``BrandRules/missingReference`` when a brand does not exist.
    static func insertStoredAsRuns(_ jobs: [ValidatedJob], now: Date, in db: Database) throws -> [InsertedJob] {
        guard !jobs.isEmpty else { return [] }
        let brandExists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM brands WHERE id = ?)")
        for brand in Set(jobs.map(\.brandID)) {
            guard try Bool.fetchOne(brandExists, arguments: [brand.storageText]) == true else {
                throw BrandRules.missingReference
            }
        }
        let first = try takeIDs(jobs.count, in: db)
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO run_queue (id, job_id, brand_id, job_type, queue, priority, parameters, state, max_attempts,
                    scheduled_at, fire_time, created_at)
                VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8, ?9, ?10)
                """)
        return try jobs.enumerated().map { offset, job in
            let id = first + Int64(offset)
            try insert.execute(arguments: [
                id, job.brandID.storageText, job.type.name, job.type.queue, job.priority,
                JSONCoding.encodeString(job.parameters), job.type.retryPolicy.maxAttempts,
                job.firstRunAt.microsecondsSince1970, JobsStoredAsRuns.runAt(of: job).microsecondsSince1970,
                now.microsecondsSince1970,
            ])
            return JobsStoredAsRuns.inserted(job, id: id, now: now)
        }
    }
}
