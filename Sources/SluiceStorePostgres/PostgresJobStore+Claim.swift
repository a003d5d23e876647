import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Claims due runs in one transaction.
    ///
    /// The claim is durable like every other commit: a claim lost in a database crash would hand the same attempt
    /// number, the handlers' fencing token, to a second execution of the run.
    ///
    /// 1. For each job type with a concurrency limit (in name order), `pg_try_advisory_xact_lock` serializes the
    ///    claimers of that type; a claimer that finds the lock busy skips the type this round. Only then, in a new
    ///    statement (a fresh READ COMMITTED snapshot), are its running runs counted.
    /// 2. One statement claims: per `(queue, job_type)` a LATERAL sub-select walks the partial index
    ///    `runs_ready (queue, job_type, priority, scheduled_at, id) WHERE state IN ('queued','retrying') AND NOT paused`
    ///    in order with `LIMIT cap FOR UPDATE SKIP LOCKED`; the CTE keeps the best `limit` by priority, due time and
    ///    id (and fences the planner, so no more rows than asked are updated); the `UPDATE … FROM` marks them running.
    public func claimRuns(_ request: ClaimRequest) async throws -> [Run] {
        try request.validate()
        guard request.limit > 0 else { return [] }
        let plan = try ClaimPlan(request, registry: configuration.registry)
        let now = configuration.now()
        let expires = now.addingTimeInterval(request.leaseDuration.seconds).roundedToMicroseconds
        return try await transaction { connection in
            let running = try await lockAndCountRunning(plan.limitedJobTypes, on: connection)
            let caps = plan.caps(running: running, limit: request.limit, skipUncounted: true)
            guard !caps.isEmpty else { return [] }
            let claimed = try await rows(
                """
                WITH targets AS (
                    SELECT * FROM unnest(\(caps.map(\.target.queue)), \(caps.map(\.target.jobType)),
                        \(caps.map { Int64($0.cap) })) AS t(queue, job_type, cap)
                ), candidates AS (
                    SELECT c.id FROM targets CROSS JOIN LATERAL (
                        SELECT r.id, r.priority, r.scheduled_at FROM runs r
                        WHERE r.queue = targets.queue AND r.job_type = targets.job_type
                          AND r.state IN ('queued', 'retrying') AND NOT r.paused AND r.scheduled_at <= \(now)
                        ORDER BY r.priority, r.scheduled_at, r.id
                        LIMIT targets.cap
                        FOR UPDATE SKIP LOCKED
                    ) c
                    ORDER BY c.priority, c.scheduled_at, c.id
                    LIMIT \(request.limit)
                )
                UPDATE runs SET state = 'running', attempt = attempt + 1, worker_id = \(request.workerID),
                    lease_expires_at = \(expires), started_at = \(now), cancel_requested = false, progress = NULL,
                    progress_message = NULL
                FROM candidates WHERE runs.id = candidates.id
                RETURNING \(unescaped: PostgresRows.runColumns)
                """, on: connection
            ).map(PostgresRows.run)
            return claimed.sorted { ($0.priority, $0.scheduledAt, $0.id) < ($1.priority, $1.scheduledAt, $1.id) }
        }
    }

    /// Takes the claim lock of each limited job type it can and counts that type's running runs.
    /// Types whose lock is busy are absent from the result.
    private func lockAndCountRunning(
        _ jobTypes: [String], on connection: PostgresConnection
    ) async throws
        -> [String: Int]
    {
        guard !jobTypes.isEmpty else { return [:] }
        var locked: [String] = []
        for jobType in jobTypes {
            let row = try await rows(
                "SELECT pg_try_advisory_xact_lock(hashtext(\("sluice.claim." + jobType))) AS locked", on: connection)
            if try row.first?["locked"].decode(Bool.self) == true { locked.append(jobType) }
        }
        guard !locked.isEmpty else { return [:] }
        var running = Dictionary(uniqueKeysWithValues: locked.map { ($0, 0) })
        for row in try await rows(
            """
            SELECT job_type, count(*) AS running FROM runs
            WHERE state = 'running' AND job_type = ANY(\(locked)) GROUP BY job_type
            """, on: connection)
        {
            running[try row["job_type"].decode(String.self)] = try row["running"].decode(Int.self)
        }
        return running
    }

    public func claimRun(id: Int64, workerID: String, leaseDuration: Duration) async throws -> Run? {
        try ClaimRequest.validate(workerID: workerID, leaseDuration: leaseDuration)
        let now = configuration.now()
        let expires = now.addingTimeInterval(leaseDuration.seconds)
        return try await rows(
            """
            UPDATE runs SET state = 'running', attempt = attempt + 1, worker_id = \(workerID),
                lease_expires_at = \(expires), started_at = \(now), cancel_requested = false, progress = NULL,
                progress_message = NULL
            WHERE id = \(id) AND state IN ('queued', 'retrying') AND NOT paused
            RETURNING \(unescaped: PostgresRows.runColumns)
            """
        ).first.map(PostgresRows.run)
    }
}
