import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// The channel that announces available work; the payload is a queue name, never job data.
    static let workChannel = "sluice_work"

    public func nextDueTime(queues: [String], jobTypes: [String]) async throws -> Date? {
        let plan = try ClaimPlan(
            ClaimRequest(workerID: "next-due", queues: queues, jobTypes: jobTypes, limit: 0),
            registry: configuration.registry)
        guard !plan.targets.isEmpty else { return nil }
        return try await rows(
            """
            SELECT min(d.scheduled_at) AS due
            FROM unnest(\(plan.targets.map(\.queue)), \(plan.targets.map(\.jobType))) AS t(queue, job_type)
            CROSS JOIN LATERAL (
                SELECT scheduled_at FROM runs
                WHERE queue = t.queue AND job_type = t.job_type AND state IN ('queued', 'retrying') AND NOT paused
                ORDER BY scheduled_at LIMIT 1
            ) d
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
