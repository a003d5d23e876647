import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Claims due runs in one immediate transaction (SQLite has a single writer, so counting running runs of a
    /// limited job type and claiming cannot race). Per job type, the candidates come from the partial index
    /// `run_queue_ready (queue, job_type, priority, scheduled_at, id) WHERE state IN ('queued','retrying') AND paused = 0`
    /// (one `(queue, job_type)` range per ``ClaimPlan`` target);
    /// the best `limit` of them by priority, due time and id are then claimed by one `UPDATE … RETURNING`.
    public func claimRuns(_ request: ClaimRequest) async throws -> [Run] {
        try request.validate()
        guard request.limit > 0 else { return [] }
        let plan = try ClaimPlan(request, registry: configuration.registry)
        let now = configuration.now()
        return try await write { db in try Self.claim(plan, request, now: now, in: db) }
    }

    /// Claims within a write transaction (see ``claimRuns(_:)``).
    static func claim(_ plan: ClaimPlan, _ request: ClaimRequest, now: Date, in db: Database) throws -> [Run] {
        guard request.limit > 0 else { return [] }
        let expires = now.addingTimeInterval(request.leaseDuration.seconds).roundedToMicroseconds
        let running = try runningCounts(of: plan.limitedJobTypes, in: db)
        var candidates: [(id: Int64, priority: Int, due: Int64)] = []
        let ready = try db.cachedStatement(
            sql: """
                SELECT id, priority, scheduled_at FROM run_queue INDEXED BY run_queue_ready
                WHERE queue = ? AND job_type = ? AND state IN ('queued', 'retrying') AND paused = 0
                  AND scheduled_at <= ?
                ORDER BY priority, scheduled_at, id LIMIT ?
                """)
        for (target, cap) in plan.caps(running: running, limit: request.limit) {
            let rows = try Row.fetchAll(
                ready, arguments: [target.queue, target.jobType, now.microsecondsSince1970, cap])
            candidates += rows.map { (id: $0["id"], priority: $0["priority"], due: $0["scheduled_at"]) }
        }
        let chosen = candidates.sorted { ($0.priority, $0.due, $0.id) < ($1.priority, $1.due, $1.id) }
            .prefix(request.limit).map(\.id)
        guard !chosen.isEmpty else { return [] }
        let claimed = try Row.fetchAll(
            db,
            sql: """
                UPDATE run_queue SET state = 'running', attempt = attempt + 1, worker_id = ?, lease_expires_at = ?,
                    started_at = ?, cancel_requested = 0, progress = NULL, progress_message = NULL
                WHERE id IN \(databaseQuestionMarks(count: chosen.count).inParentheses)
                RETURNING \(SQLiteRows.runColumns)
                """,
            arguments: [request.workerID, expires.microsecondsSince1970, now.microsecondsSince1970]
                + StatementArguments(chosen)
        ).map(SQLiteRows.run)
        return claimed.sorted { ($0.priority, $0.scheduledAt, $0.id) < ($1.priority, $1.scheduledAt, $1.id) }
    }

    public func claimRun(id: Int64, workerID: String, leaseDuration: Duration) async throws -> Run? {
        try ClaimRequest.validate(workerID: workerID, leaseDuration: leaseDuration)
        let now = configuration.now()
        let expires = now.addingTimeInterval(leaseDuration.seconds).roundedToMicroseconds
        return try await write { db in
            try Row.fetchOne(
                db,
                sql: """
                    UPDATE run_queue SET state = 'running', attempt = attempt + 1, worker_id = ?, lease_expires_at = ?,
                        started_at = ?, cancel_requested = 0, progress = NULL, progress_message = NULL
                    WHERE id = ? AND state IN ('queued', 'retrying') AND paused = 0
                    RETURNING \(SQLiteRows.runColumns)
                    """,
                arguments: [workerID, expires.microsecondsSince1970, now.microsecondsSince1970, id]
            ).map(SQLiteRows.run)
        }
    }

    private static func runningCounts(of jobTypes: [String], in db: Database) throws -> [String: Int] {
        guard !jobTypes.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT job_type, COUNT(*) AS running FROM run_queue INDEXED BY run_queue_running
                WHERE state = 'running' AND job_type IN \(databaseQuestionMarks(count: jobTypes.count).inParentheses)
                GROUP BY job_type
                """, arguments: StatementArguments(jobTypes))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["job_type"], $0["running"]) })
    }
}

extension String {
    /// `self` wrapped in parentheses, for `IN (?, ?)` lists.
    var inParentheses: String { "(\(self))" }
}
