import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// The channel that announces available work; the payload is a queue name, never job data.
    static let workChannel = "sluice_work"

    /// Walks `run_queue_ready` once per distinct priority of each `(queue, job_type)` (a loose index scan), taking
    /// the earliest due time at each, so that it reads a few index entries however many runs are queued.
    public func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date? {
        let plan = try ClaimPlan(
            ClaimRequest(workerID: "next-due", queues: queues, jobTypes: jobTypes, limit: 0),
            registry: configuration.registry)
        guard !plan.targets.isEmpty else { return nil }
        return try await rows(
            """
            WITH RECURSIVE levels AS (
                SELECT t.queue, t.job_type, (
                    SELECT min(priority) FROM run_queue r WHERE r.queue = t.queue AND r.job_type = t.job_type
                      AND r.state IN ('queued', 'retrying') AND NOT r.paused) AS priority
                FROM unnest(\(plan.targets.map(\.queue)), \(plan.targets.map(\.jobType))) AS t(queue, job_type)
                UNION ALL
                SELECT l.queue, l.job_type, (
                    SELECT min(priority) FROM run_queue r WHERE r.queue = l.queue AND r.job_type = l.job_type
                      AND r.state IN ('queued', 'retrying') AND NOT r.paused AND r.priority > l.priority)
                FROM levels l WHERE l.priority IS NOT NULL
            )
            SELECT min((
                SELECT scheduled_at FROM run_queue r WHERE r.queue = l.queue AND r.job_type = l.job_type
                  AND r.state IN ('queued', 'retrying') AND NOT r.paused AND r.priority = l.priority
                ORDER BY scheduled_at LIMIT 1)) AS due
            FROM levels l WHERE l.priority IS NOT NULL
            """
        ).first?["due"].optionalInstant()
    }

    /// Listens on a connection of its own (held for as long as it listens); reconnects after a second when the
    /// connection is lost, and wakes once after every (re)connect because notifications sent meanwhile are gone.
    public func listenForWork(queues: [String], _ wake: @escaping @Sendable () -> Void) async throws {
        let wanted = Set(queues)
        while !Task.isCancelled {
            // In a task of its own, so that a stop never waits on a LISTEN that its dead connection swallowed.
            let listening = Task { [client] in
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.workChannel) { notifications in
                        wake()
                        for try await notification in notifications where wanted.contains(notification.payload) {
                            wake()
                        }
                    }
                }
            }
            do {
                try await OperationDeadline.await(listening, timeout: nil)
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "work notifications interrupted; reconnecting", metadata: ["error": "\(type(of: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Announces, when the transaction commits, that runs may be available in `queues`.
    func notifyWork(_ queues: [String], on connection: PostgresConnection) async throws {
        let distinct = Array(Set(queues)).sorted()
        guard !distinct.isEmpty else { return }
        try await connection.query(
            "SELECT pg_notify(\(Self.workChannel), queue) FROM unnest(\(distinct)) AS q(queue)", logger: logger)
    }
}
