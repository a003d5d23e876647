import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date? {
        let plan = try ClaimPlan(
            ClaimRequest(workerID: "next-due", queues: queues, jobTypes: jobTypes, limit: 0),
            registry: configuration.registry)
        return try await read { db in
            try plan.targets.compactMap { target in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT MIN(scheduled_at) FROM runs
                        WHERE queue = ? AND job_type = ? AND state IN ('queued', 'retrying') AND paused = 0
                        """, arguments: [target.queue, target.jobType])
            }.min().map(Date.init(microsecondsSince1970:))
        }
    }

    public func listenForWork(queues: [String], _ wake: @escaping @Sendable () -> Void) async throws {
        await LocalWorkSignal.forDatabase(at: pool.path).listen(wake)
    }

    /// Wakes this process's listeners: runs may have become available.
    func announceWork() {
        LocalWorkSignal.forDatabase(at: pool.path).signal()
    }
}
