import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Claims due runs: one autocommitted statement (one round trip) when no requested job type has a concurrency
    /// limit, else a transaction of two statements.
    ///
    /// The claim is durable like every other commit: a claim lost in a database crash would hand the same attempt
    /// number, the handlers' fencing token, to a second execution of the run.
    ///
    /// 1. With limited job types, one statement takes `pg_try_advisory_xact_lock` of each, which serializes the
    ///    claimers of that type; a claimer that finds a lock busy skips that type this round.
    /// 2. One statement claims. It counts each limited type's running runs itself: it starts after the locks are
    ///    held, so its READ COMMITTED snapshot sees every claim of that type committed before. Per
    ///    `(queue, job_type)` a LATERAL sub-select walks the partial index `run_queue_ready (queue, job_type, priority,
    ///    scheduled_at, id) WHERE state IN ('queued','retrying') AND NOT paused` in order with
    ///    `LIMIT cap FOR UPDATE SKIP LOCKED`; the CTE keeps the best `limit` by priority, due time and id (and fences
    ///    the planner, so no more rows than asked are updated); the `UPDATE … FROM` marks them running.
    public func claimRuns(_ request: ClaimRequest) async throws -> [Run] {
        try request.validate()
        guard request.limit > 0 else { return [] }
        let plan = try ClaimPlan(request, registry: configuration.registry)
        let claim = Claim(
            limit: request.limit, workerID: request.workerID, now: configuration.now(),
            leaseDuration: request.leaseDuration)
        guard !plan.limitedJobTypes.isEmpty else {
            return try await withConnection { connection in
                try await self.claim(plan.targets, claim, on: connection)
            }
        }
        return try await transaction { connection in
            let locked = try await lockClaims(of: plan.limitedJobTypes, on: connection)
            let targets = plan.targets.filter { $0.concurrencyLimit == nil || locked.contains($0.jobType) }
            return try await self.claim(targets, claim, on: connection)
        }
    }

    /// One claim's batch limit, worker and times.
    private struct Claim {
        let limit: Int
        let workerID: String
        let now: Date
        let expires: Date

        init(limit: Int, workerID: String, now: Date, leaseDuration: Duration) {
            self.limit = limit
            self.workerID = workerID
            self.now = now
            self.expires = now.addingTimeInterval(leaseDuration.seconds).roundedToMicroseconds
        }
    }

    /// Claims up to the batch limit from `targets` in one statement; a limited type takes at most its limit less
    /// its running runs.
    private func claim(
        _ targets: [ClaimPlan.Target], _ claim: Claim, on connection: PostgresConnection
    ) async throws -> [Run] {
        guard !targets.isEmpty else { return [] }
        // -1: no concurrency limit.
        let limits = targets.map { Int64($0.concurrencyLimit ?? -1) }
        let claimed = try await rows(
            """
            WITH targets AS (
                SELECT t.queue, t.job_type, CASE WHEN t.max_running < 0 THEN \(Int64(claim.limit))
                    ELSE LEAST(\(Int64(claim.limit)), GREATEST(0, t.max_running - (
                        SELECT count(*) FROM run_queue r WHERE r.state = 'running' AND r.job_type = t.job_type)))
                    END AS cap
                FROM unnest(\(targets.map(\.queue)), \(targets.map(\.jobType)), \(limits))
                    AS t(queue, job_type, max_running)
            ), candidates AS (
                SELECT c.id FROM targets CROSS JOIN LATERAL (
                    SELECT r.id, r.priority, r.scheduled_at FROM run_queue r
                    WHERE r.queue = targets.queue AND r.job_type = targets.job_type
                      AND r.state IN ('queued', 'retrying') AND NOT r.paused AND r.scheduled_at <= \(claim.now)
                    ORDER BY r.priority, r.scheduled_at, r.id
                    LIMIT targets.cap
                    FOR UPDATE SKIP LOCKED
                ) c
                ORDER BY c.priority, c.scheduled_at, c.id
                LIMIT \(Int64(claim.limit))
            )
            UPDATE run_queue AS runs SET state = 'running', attempt = attempt + 1, worker_id = \(claim.workerID),
                lease_expires_at = \(claim.expires), started_at = \(claim.now), cancel_requested = false,
                progress = NULL, progress_message = NULL
            FROM candidates WHERE runs.id = candidates.id
            RETURNING \(unescaped: PostgresRows.runColumns)
            """, on: connection
        ).map(PostgresRows.run)
        return claimed.sorted { ($0.priority, $0.scheduledAt, $0.id) < ($1.priority, $1.scheduledAt, $1.id) }
    }

    /// Takes the claim lock of each limited job type it can, in one statement, and returns the types it holds.
    private func lockClaims(of jobTypes: [String], on connection: PostgresConnection) async throws -> Set<String> {
        // A try-lock never waits, so the order the locks are taken in cannot deadlock.
        Set(
            try await rows(
                """
                SELECT job_type FROM unnest(\(jobTypes)) AS t(job_type)
                WHERE pg_try_advisory_xact_lock(hashtext('sluice.claim.' || job_type))
                """, on: connection
            ).map { try $0["job_type"].decode(String.self) })
    }

    public func claimRun(id: Int64, workerID: String, leaseDuration: Duration) async throws -> Run? {
        try ClaimRequest.validate(workerID: workerID, leaseDuration: leaseDuration)
        let now = configuration.now()
        let expires = now.addingTimeInterval(leaseDuration.seconds)
        return try await rows(
            """
            UPDATE run_queue AS runs SET state = 'running', attempt = attempt + 1, worker_id = \(workerID),
                lease_expires_at = \(expires), started_at = \(now), cancel_requested = false, progress = NULL,
                progress_message = NULL
            WHERE id = \(id) AND state IN ('queued', 'retrying') AND NOT paused
            RETURNING \(unescaped: PostgresRows.runColumns)
            """
        ).first.map(PostgresRows.run)
    }
}
