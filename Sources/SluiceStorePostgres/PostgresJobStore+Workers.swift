import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func heartbeatWorker(_ heartbeat: WorkerHeartbeat) async throws -> WorkerHeartbeatResult {
        try heartbeat.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(heartbeat.leaseDuration.seconds).roundedToMicroseconds
        let worker = heartbeat.worker
        let progress = heartbeat.progress
        return try await transaction { connection in
            // Durable like every commit: a renewal acknowledged but lost in a database crash would leave the worker
            // believing in a lease that the rescuer may already have ended.
            try await connection.query(
                """
                INSERT INTO workers (id, host, pid, queues, concurrency, started_at, last_seen_at)
                VALUES (\(worker.id), \(worker.host), \(worker.pid), \(worker.queues), \(worker.concurrency),
                    \(worker.startedAt), \(now))
                ON CONFLICT (id) DO UPDATE SET queues = excluded.queues, concurrency = excluded.concurrency,
                    last_seen_at = excluded.last_seen_at
                """, logger: logger)
            // Progress and renewal in one statement that locks the worker's runs in id order first, as a completion
            // batch does: two statements locking the same runs in plan order deadlocked with completions (40P01).
            let held = heartbeat.leases
            let renewed = try await rows(
                """
                WITH input AS (
                    SELECT h.id, h.attempt, p.id IS NOT NULL AS reported, p.fraction, p.message
                    FROM unnest(\(held.map(\.runID)), \(held.map { Int64($0.attempt) })) AS h(id, attempt)
                    LEFT JOIN unnest(\(progress.map(\.runID)), \(progress.map(\.fraction)), \(progress.map(\.message)))
                        AS p(id, fraction, message) ON p.id = h.id
                ), locked AS MATERIALIZED (
                    SELECT id FROM run_queue WHERE id = ANY(\(held.map(\.runID))) ORDER BY id FOR NO KEY UPDATE
                )
                UPDATE run_queue AS runs SET lease_expires_at = \(expires),
                    progress = CASE WHEN input.reported THEN input.fraction ELSE runs.progress END,
                    progress_message = CASE WHEN input.reported THEN input.message ELSE runs.progress_message END
                FROM input
                WHERE runs.id = ANY(ARRAY(SELECT id FROM locked)) AND runs.id = input.id
                  AND runs.attempt = input.attempt AND runs.worker_id = \(worker.id) AND runs.state = 'running'
                  AND runs.lease_expires_at > \(now)
                RETURNING runs.id, runs.attempt, runs.cancel_requested
                """, on: connection)
            var leases: [RunLease] = []
            var cancelRequested: Set<Int64> = []
            for row in renewed {
                let id = try row["id"].decode(Int64.self)
                leases.append(
                    RunLease(
                        runID: id, workerID: worker.id, attempt: try row["attempt"].decode(Int.self), expiresAt: expires
                    ))
                if try row["cancel_requested"].decode(Bool.self) { cancelRequested.insert(id) }
            }
            return WorkerHeartbeatResult(leases: leases, cancelRequested: cancelRequested)
        }
    }

    public func workers(seenSince date: Date) async throws -> [WorkerRecord] {
        try await rows(
            """
            SELECT w.id, w.host, w.pid, w.queues, w.concurrency, w.started_at, w.last_seen_at,
                (SELECT count(*) FROM run_queue AS runs WHERE runs.state = 'running' AND runs.worker_id = w.id) AS running
            FROM workers w WHERE last_seen_at >= \(date) ORDER BY id
            """
        ).map { row in
            WorkerRecord(
                info: WorkerInfo(
                    id: try row["id"].decode(String.self), host: try row["host"].decode(String.self),
                    pid: try row["pid"].decode(Int.self), queues: try row["queues"].decode([String].self),
                    concurrency: try row["concurrency"].decode(Int.self), startedAt: try row["started_at"].instant()),
                lastSeenAt: try row["last_seen_at"].instant(), running: try row["running"].decode(Int.self))
        }
    }

    public func removeWorker(id: String) async throws {
        _ = try await rows("DELETE FROM workers WHERE id = \(id)")
    }
}
