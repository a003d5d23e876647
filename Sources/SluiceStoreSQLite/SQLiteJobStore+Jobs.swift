import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func insertJob(_ job: ValidatedJob) async throws -> InsertedJob {
        let now = configuration.now()
        let validated = try configuration.placing(job, at: now)
        let inserted = try await write { db in
            JobsStoredAsRuns.applies(to: validated)
                ? try Self.insertStoredAsRuns([validated], now: now, in: db)[0]
                : try Self.insert(validated, now: now, in: db)
        }
        announceWork()
        return inserted
    }

    public func insertJobs(_ jobs: [ValidatedJob]) async throws -> [InsertedJob] {
        let now = configuration.now()
        let validated = try configuration.placing(jobs, at: now, field: "jobs")
        guard !validated.isEmpty else { return [] }
        let storedAsRuns = validated.indices.filter { JobsStoredAsRuns.applies(to: validated[$0]) }
        let inserted = try await write { db in
            var inserted = [InsertedJob?](repeating: nil, count: validated.count)
            let batch = try Self.insertStoredAsRuns(storedAsRuns.map { validated[$0] }, now: now, in: db)
            for (index, job) in zip(storedAsRuns, batch) { inserted[index] = job }
            for index in validated.indices where inserted[index] == nil {
                inserted[index] = try Self.insert(validated[index], now: now, in: db)
            }
            return inserted.compactMap { $0 }
        }
        announceWork()
        return inserted
    }

    public func job(id: Int64) async throws -> Job {
        try await read { db in try Self.fetchJob(id, in: db) }
    }

    public func listJobs(_ query: JobQuery) async throws -> Page<Job> {
        try PageLimit.validate(query.limit)
        for parameter in query.parameters { try parameter.validate() }
        let after = try PageCursor.decode(query.cursor)
        var filter = SQLFilter()
        filter.add("id < ?", after)
        filter.add("brand_id = ?", query.brandID?.storageText)
        filter.add("job_type = ?", query.jobType)
        for parameter in query.parameters { filter.addParameter(parameter) }
        let (sql, arguments) = Self.jobsSelect(
            filter: filter, status: query.status, recurring: query.recurring, limit: query.limit + 1)
        let jobs = try await read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteRows.job) }
        return Page(fetched: jobs, limit: query.limit, id: \.id)
    }

    public func pauseJob(id: Int64) async throws -> Job {
        try await changeJob(id, .pause)
    }

    public func resumeJob(id: Int64) async throws -> Job {
        let job = try await changeJob(id, .resume)
        announceWork()
        return job
    }

    public func cancelJob(id: Int64) async throws -> Job {
        let now = configuration.now()
        return try await write { db in
            let job = try Self.jobForChange(id, for: .cancel, in: db)
            _ = try job.status.applying(.cancel)
            try db.execute(
                sql: """
                    UPDATE run_queue SET state = 'cancelled', finished_at = ?, paused = 0
                    WHERE job_id = ? AND state IN ('queued', 'retrying')
                    """, arguments: [now.microsecondsSince1970, id])
            try Self.archiveFinishedRuns(where: "job_id = ?", [id], in: db)
            try db.execute(
                sql: "UPDATE run_queue SET cancel_requested = 1 WHERE job_id = ? AND state = 'running'", arguments: [id]
            )
            return try Self.setStatus(.cancelled, of: id, now: now, in: db)
        }
    }

    public func deleteJob(id: Int64) async throws {
        try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM jobs WHERE id = ?", arguments: [id]) == nil,
                try Self.runStoredAsJob(id, in: db) == nil
            {
                throw SluiceError.notFound("job", id)
            }
            let running =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM run_queue WHERE job_id = ? AND state = 'running'", arguments: [id])
                ?? 0
            guard running == 0 else {
                throw SluiceError(.conflict, "job \(id) has a running run; cancel it first", field: "status")
            }
            try Self.deleteRuns(where: "job_id = ?", [id], in: db)
            try db.execute(sql: "DELETE FROM jobs WHERE id = ?", arguments: [id])
        }
    }

    public func runJobNow(id: Int64) async throws -> Run {
        let now = configuration.now()
        let registry = configuration.registry
        defer { announceWork() }
        return try await write { db in
            let job = try Self.jobForChange(id, for: .reactivate, in: db)
            let latest = try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.runColumns) FROM runs WHERE job_id = ? ORDER BY id DESC LIMIT 1",
                arguments: [id]
            ).map(SQLiteRows.run)
            switch try RunTransitions.runNow(job: job, latest: latest, registry: registry) {
            case .makeDue(let runID):
                return try Self.fetchRun(
                    sql:
                        "UPDATE run_queue SET state = 'queued', scheduled_at = ? WHERE id = ? RETURNING \(SQLiteRows.runColumns)",
                    arguments: [now.microsecondsSince1970, runID], in: db)
            case .insertRun(let reactivateJob, let maxAttempts):
                let current =
                    reactivateJob ? try Self.setStatus(job.status.applying(.reactivate), of: id, now: now, in: db) : job
                return try Self.insertRun(
                    job: current, maxAttempts: maxAttempts, due: now, fireTime: nil, now: now, in: db)
            }
        }
    }

    private func changeJob(_ id: Int64, _ event: JobEvent) async throws -> Job {
        let now = configuration.now()
        return try await write { db in
            let job = try Self.jobForChange(id, for: event, in: db)
            let status = try job.status.applying(event)
            try db.execute(
                sql: "UPDATE run_queue SET paused = ? WHERE job_id = ? AND state IN ('queued', 'retrying')",
                arguments: [status == .paused, id])
            return try Self.setStatus(status, of: id, now: now, in: db)
        }
    }
}

extension SQLiteJobStore {
    /// Inserts a validated job and its first run with cached statements that return only the new ids (the values
    /// are built in Swift), or returns the active job holding the same uniqueness key.
    static func insert(_ job: ValidatedJob, now: Date, in db: Database) throws -> InsertedJob {
        var cron: String?
        var timeZone: String?
        var runAt: Int64?
        switch job.schedule {
        case .once(let date): runAt = date.microsecondsSince1970
        case .recurring(let schedule, let zone):
            cron = schedule.expression
            timeZone = zone.ianaName
        }
        let parameters = JSONCoding.encodeString(job.parameters)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, cron, timezone, status,
                    queue, priority, unique_key, next_fire_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND status IN ('active', 'paused') DO NOTHING
                RETURNING id
                """)
        statement.arguments = [
            try takeIDs(1, in: db), job.brandID.storageText, job.type.name, parameters,
            job.schedule.isRecurring ? "recurring" : "once", runAt,
            cron, timeZone, job.type.queue, job.priority, job.uniqueKey, job.nextFireAt?.microsecondsSince1970,
            now.microsecondsSince1970, now.microsecondsSince1970,
        ]
        guard let id = try Int64.fetchOne(statement) else {
            let existing = try SQLiteRows.job(
                Row.fetchOne(
                    db,
                    sql:
                        "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE unique_key = ? AND status IN ('active', 'paused')",
                    arguments: [job.uniqueKey])!)
            let run = try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.runColumns) FROM runs WHERE job_id = ? ORDER BY id DESC LIMIT 1",
                arguments: [existing.id]
            ).map(SQLiteRows.run)
            return InsertedJob(job: existing, run: run, deduplicated: true)
        }
        let inserted = job.storedJob(id: id, now: now)
        let run = try insertRun(
            job: inserted, maxAttempts: job.type.retryPolicy.maxAttempts, due: job.firstRunAt.roundedToMicroseconds,
            fireTime: job.firstFireTime?.roundedToMicroseconds, now: now, parametersText: parameters, in: db)
        return InsertedJob(job: inserted, run: run, deduplicated: false)
    }

    static func insertRun(
        job: Job, maxAttempts: Int, due: Date, fireTime: Date?, now: Date, parametersText: String? = nil,
        in db: Database
    ) throws -> Run {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO run_queue (job_id, brand_id, job_type, queue, priority, parameters, state, paused, max_attempts,
                    scheduled_at, fire_time, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
                RETURNING id
                """)
        statement.arguments = [
            job.id, job.brandID.storageText, job.jobType, job.queue, job.priority,
            parametersText ?? JSONCoding.encodeString(job.parameters), job.status == .paused, maxAttempts,
            due.microsecondsSince1970, fireTime?.microsecondsSince1970, now.microsecondsSince1970,
        ]
        guard let id = try Int64.fetchOne(statement) else {
            throw SluiceError(.storageFailure, "insert returned no id")
        }
        return job.newRun(id: id, maxAttempts: maxAttempts, due: due, fireTime: fireTime, now: now)
    }

    static func fetchRun(sql: String, arguments: StatementArguments, in db: Database) throws -> Run {
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            throw SluiceError(.storageFailure, "statement returned no run")
        }
        return try SQLiteRows.run(row)
    }

    static func setStatus(_ status: JobStatus, of id: Int64, now: Date, in db: Database) throws -> Job {
        guard
            let row = try Row.fetchOne(
                db, sql: "UPDATE jobs SET status = ?, updated_at = ? WHERE id = ? RETURNING \(SQLiteRows.jobColumns)",
                arguments: [status.rawValue, now.microsecondsSince1970, id])
        else { throw SluiceError.notFound("job", id) }
        return try SQLiteRows.job(row)
    }

    /// Marks a one-time job finished once its run ended.
    static func finishOneTimeJob(_ jobID: Int64, now: Date, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE jobs SET status = 'finished', updated_at = ?
                WHERE id = ? AND schedule_kind = 'once' AND status IN ('active', 'paused')
                """, arguments: [now.microsecondsSince1970, jobID])
    }
}
