import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func run(id: Int64) async throws -> Run {
        guard let row = try await rows("SELECT \(unescaped: PostgresRows.runColumns) FROM runs WHERE id = \(id)").first
        else { throw SluiceError.notFound("run", id) }
        return try PostgresRows.run(row)
    }

    public func listRuns(_ query: RunQuery) async throws -> Page<Run> {
        try PageLimit.validate(query.limit)
        for parameter in query.parameters { try parameter.validate() }
        var filter = PostgresFilter()
        filter.add("id < $?", try PageCursor.decode(query.cursor))
        filter.add("brand_id = $?", query.brandID)
        filter.add("job_id = $?", query.jobID)
        filter.add("job_type = $?", query.jobType)
        filter.add("state = ANY($?)", query.states.isEmpty ? nil : query.states.map(\.rawValue))
        for parameter in query.parameters { filter.addParameter(parameter) }
        let runs = try await rows(
            filter.query(
                "SELECT \(PostgresRows.runColumns) FROM runs \(filter.whereClause) ORDER BY id DESC LIMIT \(query.limit + 1)"
            )
        ).map(PostgresRows.run)
        return Page(fetched: runs, limit: query.limit, id: \.id)
    }

    public func heartbeat(_ heartbeat: Heartbeat) async throws -> HeartbeatResult {
        try heartbeat.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(heartbeat.leaseDuration.seconds).roundedToMicroseconds
        let lease = heartbeat.lease
        guard
            let row = try await rows(
                """
                UPDATE run_queue AS runs SET lease_expires_at = \(expires), progress = COALESCE(\(heartbeat.progress), progress),
                    progress_message = COALESCE(\(heartbeat.message), progress_message)
                WHERE id = \(lease.runID) AND state = 'running' AND worker_id = \(lease.workerID)
                  AND attempt = \(lease.attempt) AND lease_expires_at > \(now)
                RETURNING cancel_requested
                """
            ).first
        else { throw SluiceError.leaseLost(lease) }
        let renewed = RunLease(runID: lease.runID, workerID: lease.workerID, attempt: lease.attempt, expiresAt: expires)
        return HeartbeatResult(lease: renewed, cancelRequested: try row["cancel_requested"].decode(Bool.self))
    }

    public func completeRun(_ lease: RunLease, _ completion: RunCompletion) async throws -> Run {
        try completion.validate()
        let now = configuration.now()
        let followUps = try configuration.placing(completion.followUps, at: now, field: "follow_ups")
        return try await transaction { connection in
            guard let run = try await completeHeld(lease, completion, followUps: followUps, now: now, on: connection)
            else { throw SluiceError.leaseLost(lease) }
            try await notifyWork(followUps.map(\.type.queue), on: connection)
            return run
        }
    }

    /// Marks the run succeeded and inserts its follow-ups if `lease` still holds it; nil otherwise.
    func completeHeld(
        _ lease: RunLease, _ completion: RunCompletion, followUps: [ValidatedJob], now: Date,
        on connection: PostgresConnection
    ) async throws -> Run? {
        guard let row = try await rows(Self.fenced(lease, now: now), on: connection).first else { return nil }
        let held = try PostgresRows.run(row)
        _ = try held.state.applying(.succeed)
        let result = JSONCoding.encodeString(completion.result)
        let completed = try await fetchRun(
            """
            UPDATE run_queue AS runs SET state = 'succeeded', finished_at = \(now), lease_expires_at = NULL, progress = 1,
                result = \(result)::jsonb, rows_written = \(completion.rowsWritten), error = NULL,
                progress_message = COALESCE(\(completion.progressMessage), progress_message)
            WHERE id = \(held.id) RETURNING \(unescaped: PostgresRows.runColumns)
            """, on: connection)
        try await recordEnd(of: completed, now: now, on: connection)
        for job in followUps { _ = try await insert(job, now: now, on: connection) }
        return completed
    }

    public func failRun(_ lease: RunLease, _ failure: RunFailure) async throws -> Run {
        let now = configuration.now()
        return try await finish(lease, now: now) { connection, run in
            let (state, due) = try RunTransitions.afterFailure(of: run, failure)
            let finishedAt: Date? = state.isTerminal ? now : nil
            return try await fetchRun(
                """
                UPDATE run_queue AS runs SET state = \(state.rawValue), finished_at = \(finishedAt), lease_expires_at = NULL,
                    scheduled_at = \(due), error = \(StoreArguments.storableError(failure.error))
                WHERE id = \(run.id) RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection)
        }
    }

    public func finishCancelledRun(_ lease: RunLease) async throws -> Run {
        let now = configuration.now()
        return try await finish(lease, now: now) { connection, run in
            _ = try run.state.applying(.cancel)
            return try await fetchRun(
                """
                UPDATE run_queue AS runs SET state = 'cancelled', finished_at = \(now), lease_expires_at = NULL, error = 'cancelled'
                WHERE id = \(run.id) RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection)
        }
    }

    public func releaseRun(_ lease: RunLease, dueAt: Date?, message: String?) async throws -> Run {
        let now = configuration.now()
        let due = max(now, dueAt ?? now)
        let message = message.map { String($0.prefix(1000)) }
        return try await finish(lease, now: now) { connection, run in
            _ = try run.state.applying(.release)
            try await notifyWork([run.queue], on: connection)
            return try await fetchRun(
                """
                UPDATE run_queue AS runs SET state = 'queued', attempt = attempt - 1, scheduled_at = \(due), worker_id = NULL,
                    lease_expires_at = NULL, started_at = NULL, progress_message = COALESCE(\(message), progress_message)
                WHERE id = \(run.id) RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection)
        }
    }

    public func cancelRun(id: Int64) async throws -> Run {
        let now = configuration.now()
        return try await transaction { connection in
            let run = try await lockRun(id, on: connection)
            _ = try run.state.applying(.cancel)
            if run.state == .running {
                return try await fetchRun(
                    """
                    UPDATE run_queue AS runs SET cancel_requested = true WHERE id = \(id)
                    RETURNING \(unescaped: PostgresRows.runColumns)
                    """, on: connection)
            }
            let cancelled = try await fetchRun(
                """
                UPDATE run_queue AS runs SET state = 'cancelled', finished_at = \(now), paused = false WHERE id = \(id)
                RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection)
            try await archiveFinishedRuns([id], on: connection)
            try await finishOneTimeJob(run.jobID, now: now, on: connection)
            return cancelled
        }
    }

    public func retryRun(id: Int64) async throws -> Run {
        let now = configuration.now()
        return try await transaction { connection in
            let run = try await lockRun(id, on: connection)
            _ = try run.state.applying(.retry)
            try await notifyWork([run.queue], on: connection)
            let job = try await lockJob(run.jobID, for: .reactivate, on: connection)
            try await restoreFinishedRun(id, on: connection)
            if let status = try RunTransitions.jobStatusForRetry(of: job) {
                _ = try await setStatus(status, of: job.id, now: now, on: connection)
            }
            return try await fetchRun(
                """
                UPDATE run_queue AS runs SET state = 'queued', scheduled_at = \(now), finished_at = NULL, worker_id = NULL,
                    max_attempts = GREATEST(max_attempts, attempt + 1), paused = \(job.status == .paused),
                    cancel_requested = false
                WHERE id = \(id) RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection)
        }
    }

    public func rescueExpiredRuns(limit: Int) async throws -> [Run] {
        try StoreArguments.validateBatch(limit)
        let now = configuration.now()
        return try await transaction { connection in
            let expired = try await rows(
                """
                SELECT \(unescaped: PostgresRows.runColumns) FROM run_queue AS runs
                WHERE state = 'running' AND lease_expires_at <= \(now)
                ORDER BY lease_expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, on: connection
            ).map(PostgresRows.run)
            var rescued: [Run] = []
            for run in expired {
                let (state, due, error) = try RunTransitions.afterRescue(of: run, now: now)
                let finishedAt: Date? = state.isTerminal ? now : nil
                let updated = try await fetchRun(
                    """
                    UPDATE run_queue AS runs SET state = \(state.rawValue), scheduled_at = \(due),
                        finished_at = \(finishedAt), lease_expires_at = NULL, error = \(error)
                    WHERE id = \(run.id) RETURNING \(unescaped: PostgresRows.runColumns)
                    """, on: connection)
                try await recordEnd(of: updated, now: now, on: connection)
                rescued.append(updated)
            }
            try await notifyWork(rescued.filter { $0.state == .retrying }.map(\.queue), on: connection)
            return rescued
        }
    }

    /// Runs `body` on the fenced, locked run, then records its end (see `recordEnd`) if it ended.
    private func finish(
        _ lease: RunLease, now: Date, _ body: @escaping @Sendable (PostgresConnection, Run) async throws -> Run
    ) async throws -> Run {
        try await transaction { connection in
            guard let row = try await rows(Self.fenced(lease, now: now), on: connection).first else {
                throw SluiceError.leaseLost(lease)
            }
            let run = try await body(connection, try PostgresRows.run(row))
            try await recordEnd(of: run, now: now, on: connection)
            return run
        }
    }

    /// Selects and locks the run if the caller holds its lease.
    static func fenced(_ lease: RunLease, now: Date) -> PostgresQuery {
        """
        SELECT \(unescaped: PostgresRows.runColumns) FROM run_queue AS runs
        WHERE id = \(lease.runID) AND state = 'running' AND worker_id = \(lease.workerID)
          AND attempt = \(lease.attempt) AND lease_expires_at > \(now)
        FOR UPDATE
        """
    }
}
