import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Walks `run_queue_ready` once per distinct priority of each `(queue, job_type)` (a loose index scan), taking
    /// the earliest due time at each, so that it reads a few index entries however many runs are queued.
    public func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date? {
        let plan = try ClaimPlan(
            ClaimRequest(workerID: "next-due", queues: queues, jobTypes: jobTypes, limit: 0),
            registry: configuration.registry)
        return try await read { db in
            try plan.targets.compactMap { target in
                try Int64.fetchOne(
                    db,
                    sql: """
                        WITH RECURSIVE levels(priority) AS (
                            SELECT MIN(priority) FROM run_queue \(Self.ready)
                            UNION ALL
                            SELECT (SELECT MIN(priority) FROM run_queue \(Self.ready) AND priority > levels.priority)
                            FROM levels WHERE levels.priority IS NOT NULL
                        )
                        SELECT MIN((
                            SELECT scheduled_at FROM run_queue \(Self.ready) AND priority = levels.priority
                            ORDER BY scheduled_at LIMIT 1))
                        FROM levels WHERE levels.priority IS NOT NULL
                        """, arguments: [target.queue, target.jobType])
            }.min().map(Date.init(microsecondsSince1970:))
        }
    }

    /// The claimable runs of the `(queue, job_type)` given as `?1` and `?2`, as `run_queue_ready` holds them.
    private static let ready = "WHERE queue = ?1 AND job_type = ?2 AND state IN ('queued', 'retrying') AND paused = 0"

    public func listenForWork(queues: [String], _ wake: @escaping @Sendable () -> Void) async throws {
        await LocalWorkSignal.forDatabase(at: pool.path).listen(wake)
    }

    /// Wakes this process's listeners: runs may have become available.
    func announceWork() {
        LocalWorkSignal.forDatabase(at: pool.path).signal()
    }
}
