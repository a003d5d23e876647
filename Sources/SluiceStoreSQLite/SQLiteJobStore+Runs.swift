import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func run(id: Int64) async throws -> Run {
        try await read { db in try Self.fetchRun(id, in: db) }
    }

    public func listRuns(_ query: RunQuery) async throws -> Page<Run> {
        try PageLimit.validate(query.limit)
        for parameter in query.parameters { try parameter.validate() }
        let after = try PageCursor.decode(query.cursor)
        var filter = SQLFilter()
        filter.add("id < ?", after)
        filter.add("brand_id = ?", query.brandID?.storageText)
        filter.add("job_id = ?", query.jobID)
        filter.add("job_type = ?", query.jobType)
        filter.add(in: "state", query.states.map(\.rawValue))
        for parameter in query.parameters { filter.addParameter(parameter) }
        let sql =
            "SELECT \(SQLiteRows.runColumns) FROM runs \(filter.whereClause) ORDER BY id DESC LIMIT \(query.limit + 1)"
        let arguments = filter.arguments
        let runs = try await read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteRows.run) }
        return Page(fetched: runs, limit: query.limit, id: \.id)
    }

    public func heartbeat(_ heartbeat: Heartbeat) async throws -> HeartbeatResult {
        try heartbeat.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(heartbeat.leaseDuration.seconds).roundedToMicroseconds
        let lease = heartbeat.lease
        let cancelRequested = try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE run_queue SET lease_expires_at = ?, progress = COALESCE(?, progress),
                            progress_message = COALESCE(?, progress_message)
                        WHERE \(Self.fence) RETURNING cancel_requested
                        """,
                    arguments: [expires.microsecondsSince1970, heartbeat.progress, heartbeat.message]
                        + Self.fenceArguments(lease, now: now))
            else { throw SluiceError.leaseLost(lease) }
            return row["cancel_requested"] as Bool
        }
        let renewed = RunLease(runID: lease.runID, workerID: lease.workerID, attempt: lease.attempt, expiresAt: expires)
        return HeartbeatResult(lease: renewed, cancelRequested: cancelRequested)
    }

    public func completeRun(_ lease: RunLease, _ completion: RunCompletion) async throws -> Run {
        try completion.validate()
        let now = configuration.now()
        let followUps = try configuration.placing(completion.followUps, at: now, field: "follow_ups")
        let completed = try await finish(lease, now: now) { db, run in
            _ = try run.state.applying(.succeed)
            let completed = try Self.fetchRun(
                sql: """
                    UPDATE run_queue SET state = 'succeeded', finished_at = ?, lease_expires_at = NULL, progress = 1,
                        result = ?, rows_written = ?, error = NULL,
                        progress_message = COALESCE(?, progress_message)
                    WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                    """,
                arguments: [
                    now.microsecondsSince1970, JSONCoding.encodeString(completion.result), completion.rowsWritten,
                    completion.progressMessage, run.id,
                ], in: db)
            for job in followUps { _ = try Self.insert(job, now: now, in: db) }
            return completed
        }
        if !followUps.isEmpty { announceWork() }
        return completed
    }

    public func failRun(_ lease: RunLease, _ failure: RunFailure) async throws -> Run {
        let now = configuration.now()
        return try await finish(lease, now: now) { db, run in
            let (state, due) = try RunTransitions.afterFailure(of: run, failure)
            return try Self.fetchRun(
                sql: """
                    UPDATE run_queue SET state = ?, finished_at = ?, lease_expires_at = NULL, scheduled_at = ?, error = ?
                    WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                    """,
                arguments: [
                    state.rawValue, state.isTerminal ? now.microsecondsSince1970 : nil, due.microsecondsSince1970,
                    StoreArguments.storableError(failure.error), run.id,
                ], in: db)
        }
    }

    public func finishCancelledRun(_ lease: RunLease) async throws -> Run {
        let now = configuration.now()
        return try await finish(lease, now: now) { db, run in
            _ = try run.state.applying(.cancel)
            return try Self.fetchRun(
                sql: """
                    UPDATE run_queue SET state = 'cancelled', finished_at = ?, lease_expires_at = NULL, error = 'cancelled'
                    WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                    """, arguments: [now.microsecondsSince1970, run.id], in: db)
        }
    }

    public func releaseRun(_ lease: RunLease, dueAt: Date?, message: String?) async throws -> Run {
        let now = configuration.now()
        let due = max(now, dueAt ?? now).roundedToMicroseconds
        defer { announceWork() }
        return try await finish(lease, now: now) { db, run in
            _ = try run.state.applying(.release)
            return try Self.fetchRun(
                sql: """
                    UPDATE run_queue SET state = 'queued', attempt = attempt - 1, scheduled_at = ?, worker_id = NULL,
                        lease_expires_at = NULL, started_at = NULL, progress_message = COALESCE(?, progress_message)
                    WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                    """, arguments: [due.microsecondsSince1970, message.map { String($0.prefix(1000)) }, run.id], in: db
            )
        }
    }

    public func cancelRun(id: Int64) async throws -> Run {
        let now = configuration.now()
        return try await write { db in
            let run = try Self.fetchRun(id, in: db)
            _ = try run.state.applying(.cancel)
            if run.state == .running {
                return try Self.fetchRun(
                    sql: "UPDATE run_queue SET cancel_requested = 1 WHERE id = ? RETURNING \(SQLiteRows.runColumns)",
                    arguments: [id], in: db)
            }
            let cancelled = try Self.fetchRun(
                sql:
                    "UPDATE run_queue SET state = 'cancelled', finished_at = ?, paused = 0 WHERE id = ? RETURNING \(SQLiteRows.runColumns)",
                arguments: [now.microsecondsSince1970, id], in: db)
            try Self.archiveFinishedRuns(where: "id = ?", [id], in: db)
            try Self.finishOneTimeJob(run.jobID, now: now, in: db)
            return cancelled
        }
    }

    public func retryRun(id: Int64) async throws -> Run {
        let now = configuration.now()
        defer { announceWork() }
        return try await write { db in
            let run = try Self.fetchRun(id, in: db)
            _ = try run.state.applying(.retry)
            let job = try Self.jobForChange(run.jobID, for: .reactivate, in: db)
            try Self.restoreFinishedRun(id, in: db)
            if let status = try RunTransitions.jobStatusForRetry(of: job) {
                _ = try Self.setStatus(status, of: job.id, now: now, in: db)
            }
            return try Self.fetchRun(
                sql: """
                    UPDATE run_queue SET state = 'queued', scheduled_at = ?, finished_at = NULL, worker_id = NULL,
                        max_attempts = MAX(max_attempts, attempt + 1), paused = ?, cancel_requested = 0
                    WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                    """, arguments: [now.microsecondsSince1970, job.status == .paused, id], in: db)
        }
    }

    public func rescueExpiredRuns(limit: Int) async throws -> [Run] {
        try StoreArguments.validateBatch(limit)
        let now = configuration.now()
        let rescued = try await write { db in
            let expired = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteRows.runColumns) FROM run_queue INDEXED BY run_queue_running
                    WHERE state = 'running' AND lease_expires_at <= ?
                    ORDER BY lease_expires_at LIMIT ?
                    """, arguments: [now.microsecondsSince1970, limit]
            ).map(SQLiteRows.run)
            return try expired.map { run in
                let (state, due, error) = try RunTransitions.afterRescue(of: run, now: now)
                let rescued = try Self.fetchRun(
                    sql: """
                        UPDATE run_queue SET state = ?, scheduled_at = ?, finished_at = ?, lease_expires_at = NULL, error = ?
                        WHERE id = ? RETURNING \(SQLiteRows.runColumns)
                        """,
                    arguments: [
                        state.rawValue, due.microsecondsSince1970, state.isTerminal ? now.microsecondsSince1970 : nil,
                        error, run.id,
                    ], in: db)
                try Self.recordEnd(of: rescued, now: now, configuration: configuration, in: db)
                return rescued
            }
        }
        if !rescued.isEmpty { announceWork() }
        return rescued
    }

    /// Runs `body` on the fenced run, then records its end (see `recordEnd`) if it ended.
    private func finish(
        _ lease: RunLease, now: Date, _ body: @escaping @Sendable (Database, Run) throws -> Run
    ) async throws -> Run {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(SQLiteRows.runColumns) FROM run_queue WHERE \(Self.fence)",
                    arguments: Self.fenceArguments(lease, now: now))
            else { throw SluiceError.leaseLost(lease) }
            let run = try body(db, try SQLiteRows.run(row))
            try Self.recordEnd(of: run, now: now, configuration: configuration, in: db)
            return run
        }
    }

    /// The condition that the caller holds the run's lease.
    static let fence = "id = ? AND state = 'running' AND worker_id = ? AND attempt = ? AND lease_expires_at > ?"

    static func fenceArguments(_ lease: RunLease, now: Date) -> StatementArguments {
        [lease.runID, lease.workerID, lease.attempt, now.microsecondsSince1970]
    }

    static func fetchRun(_ id: Int64, in db: Database) throws -> Run {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.runColumns) FROM runs WHERE id = ?", arguments: [id])
        else {
            throw SluiceError.notFound("run", id)
        }
        return try SQLiteRows.run(row)
    }
}
