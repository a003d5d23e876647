import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func insertJob(_ job: ValidatedJob) async throws -> InsertedJob {
        let now = configuration.now()
        let validated = try configuration.placing(job, at: now)
        if JobsStoredAsRuns.applies(to: validated) {
            do {
                return try await insertStoredAsRun(validated, now: now)
            } catch {
                throw Self.mapped(error)
            }
        }
        if validated.uniqueKey == nil {
            do {
                return try await insertWithoutKey(validated, now: now)
            } catch {
                throw Self.mapped(error)
            }
        }
        return try await transaction { connection in
            let inserted = try await insert(validated, now: now, on: connection)
            try await notifyWork([validated.type.queue], on: connection)
            return inserted
        }
    }

    /// Inserts a batch: one-time jobs without a uniqueness key as their runs in one statement (autocommitted when the
    /// batch holds nothing else), the others one by one in the same transaction.
    public func insertJobs(_ jobs: [ValidatedJob]) async throws -> [InsertedJob] {
        let now = configuration.now()
        let validated = try configuration.placing(jobs, at: now, field: "jobs")
        guard !validated.isEmpty else { return [] }
        let storedAsRuns = validated.indices.filter { JobsStoredAsRuns.applies(to: validated[$0]) }
        if storedAsRuns.count == validated.count {
            do {
                return try await insertStoredAsRuns(validated, now: now)
            } catch {
                throw Self.mapped(error)
            }
        }
        return try await transaction { connection in
            var inserted = [InsertedJob?](repeating: nil, count: validated.count)
            let batch = try await insertStoredAsRuns(storedAsRuns.map { validated[$0] }, now: now, on: connection)
            for (index, job) in zip(storedAsRuns, batch) { inserted[index] = job }
            for index in validated.indices where inserted[index] == nil {
                inserted[index] = try await insert(validated[index], now: now, on: connection)
            }
            try await notifyWork(validated.map(\.type.queue), on: connection)
            return inserted.compactMap { $0 }
        }
    }

    public func job(id: Int64) async throws -> Job {
        guard let row = try await rows(Self.jobQuery(id: id)).first else {
            throw SluiceError.notFound("job", id)
        }
        return try PostgresRows.job(row)
    }

    public func listJobs(_ query: JobQuery) async throws -> Page<Job> {
        try PageLimit.validate(query.limit)
        for parameter in query.parameters { try parameter.validate() }
        var filter = PostgresFilter()
        filter.add("id < $?", try PageCursor.decode(query.cursor))
        filter.add("brand_id = $?", query.brandID)
        filter.add("job_type = $?", query.jobType)
        for parameter in query.parameters { filter.addParameter(parameter) }
        let jobs = try await rows(
            filter.query(
                Self.jobsSelect(
                    conditions: filter.conditions, status: query.status, recurring: query.recurring,
                    limit: query.limit + 1))
        ).map(PostgresRows.job)
        return Page(fetched: jobs, limit: query.limit, id: \.id)
    }

    public func pauseJob(id: Int64) async throws -> Job {
        try await changeJob(id, .pause)
    }

    public func resumeJob(id: Int64) async throws -> Job {
        try await changeJob(id, .resume)
    }

    public func cancelJob(id: Int64) async throws -> Job {
        let now = configuration.now()
        return try await transaction { connection in
            // The job's unfinished runs before the job, in id order, as a completion batch locks a run and then its
            // one-time job: the other order could deadlock with a run finishing at that moment.
            _ = try await rows(
                """
                SELECT id FROM run_queue WHERE job_id = \(id) ORDER BY id FOR UPDATE
                """, on: connection)
            let job = try await lockJob(id, for: .cancel, on: connection)
            _ = try job.status.applying(.cancel)
            let cancelled = try await rows(
                """
                UPDATE run_queue AS runs SET state = 'cancelled', finished_at = \(now), paused = false
                WHERE job_id = \(id) AND state IN ('queued', 'retrying')
                RETURNING id
                """, on: connection)
            try await archiveFinishedRuns(cancelled.map { try $0["id"].decode(Int64.self) }, on: connection)
            try await connection.query(
                "UPDATE run_queue AS runs SET cancel_requested = true WHERE job_id = \(id) AND state = 'running'",
                logger: logger)
            return try await setStatus(.cancelled, of: id, now: now, on: connection)
        }
    }

    public func deleteJob(id: Int64) async throws {
        try await transaction { connection in
            if try await rows("SELECT id FROM jobs WHERE id = \(id) FOR UPDATE", on: connection).isEmpty,
                try await lockRunStoredAsJob(id, on: connection) == nil
            {
                throw SluiceError.notFound("job", id)
            }
            let running = try await rows(
                "SELECT 1 FROM run_queue WHERE job_id = \(id) AND state = 'running' LIMIT 1", on: connection)
            guard running.isEmpty else {
                throw SluiceError(.conflict, "job \(id) has a running run; cancel it first", field: "status")
            }
            try await deleteRuns(ofJob: id, on: connection)
            try await connection.query("DELETE FROM jobs WHERE id = \(id)", logger: logger)
        }
    }

    public func runJobNow(id: Int64) async throws -> Run {
        let now = configuration.now()
        return try await transaction { connection in
            let job = try await lockJob(id, for: .reactivate, on: connection)
            let latest = try await rows(
                "SELECT \(unescaped: PostgresRows.runColumns) FROM runs WHERE job_id = \(id) ORDER BY id DESC LIMIT 1",
                on: connection
            ).first.map(PostgresRows.run)
            try await notifyWork([job.queue], on: connection)
            switch try RunTransitions.runNow(job: job, latest: latest, registry: configuration.registry) {
            case .makeDue(let runID):
                return try await fetchRun(
                    """
                    UPDATE run_queue AS runs SET state = 'queued', scheduled_at = \(now) WHERE id = \(runID)
                    RETURNING \(unescaped: PostgresRows.runColumns)
                    """, on: connection)
            case .insertRun(let reactivateJob, let maxAttempts):
                let current =
                    reactivateJob
                    ? try await setStatus(job.status.applying(.reactivate), of: id, now: now, on: connection) : job
                return try await insertRun(
                    job: current, maxAttempts: maxAttempts, due: now, fireTime: nil, now: now, on: connection)
            }
        }
    }

    private func changeJob(_ id: Int64, _ event: JobEvent) async throws -> Job {
        let now = configuration.now()
        return try await transaction { connection in
            let job = try await lockJob(id, for: event, on: connection)
            let status = try job.status.applying(event)
            if status == .active { try await notifyWork([job.queue], on: connection) }
            try await connection.query(
                "UPDATE run_queue AS runs SET paused = \(status == .paused) WHERE job_id = \(id) AND state IN ('queued', 'retrying')",
                logger: logger)
            return try await setStatus(status, of: id, now: now, on: connection)
        }
    }
}
