import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func heartbeatWorker(_ heartbeat: WorkerHeartbeat) async throws -> WorkerHeartbeatResult {
        try heartbeat.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(heartbeat.leaseDuration.seconds).roundedToMicroseconds
        let worker = heartbeat.worker
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO workers (id, host, pid, queues, concurrency, started_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET queues = excluded.queues, concurrency = excluded.concurrency,
                        last_seen_at = excluded.last_seen_at
                    """,
                arguments: [
                    worker.id, worker.host, worker.pid, JSONCoding.encodeString(worker.queues), worker.concurrency,
                    worker.startedAt.microsecondsSince1970, now.microsecondsSince1970,
                ])
            let renew = try db.cachedStatement(
                sql: """
                    UPDATE run_queue SET lease_expires_at = ?
                    WHERE id = ? AND attempt = ? AND worker_id = ? AND state = 'running' AND lease_expires_at > ?
                    RETURNING cancel_requested
                    """)
            var leases: [RunLease] = []
            var cancelRequested: Set<Int64> = []
            for lease in heartbeat.leases {
                renew.arguments = [
                    expires.microsecondsSince1970, lease.runID, lease.attempt, worker.id, now.microsecondsSince1970,
                ]
                guard let cancel = try Bool.fetchOne(renew) else { continue }
                leases.append(
                    RunLease(runID: lease.runID, workerID: worker.id, attempt: lease.attempt, expiresAt: expires))
                if cancel { cancelRequested.insert(lease.runID) }
            }
            // Progress only for the runs whose lease was renewed, as on PostgreSQL.
            let renewed = Set(leases.map(\.runID))
            let progress = try db.cachedStatement(
                sql: """
                    UPDATE run_queue SET progress = ?, progress_message = ?
                    WHERE id = ? AND worker_id = ? AND state = 'running'
                    """)
            for report in heartbeat.progress where renewed.contains(report.runID) {
                try progress.execute(arguments: [report.fraction, report.message, report.runID, worker.id])
            }
            return WorkerHeartbeatResult(leases: leases, cancelRequested: cancelRequested)
        }
    }

    public func workers(seenSince date: Date) async throws -> [WorkerRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT w.*, (SELECT COUNT(*) FROM run_queue AS runs INDEXED BY run_queue_running
                                 WHERE runs.state = 'running' AND runs.worker_id = w.id) AS running
                    FROM workers w WHERE last_seen_at >= ? ORDER BY id
                    """, arguments: [date.microsecondsSince1970]
            ).map { row in
                WorkerRecord(
                    info: WorkerInfo(
                        id: row["id"], host: row["host"], pid: row["pid"],
                        queues: (try? JSONDecoder().decode([String].self, from: Data((row["queues"] as String).utf8)))
                            ?? [],
                        concurrency: row["concurrency"], startedAt: SQLiteRows.date(row["started_at"])!),
                    lastSeenAt: SQLiteRows.date(row["last_seen_at"])!, running: row["running"])
            }
        }
    }

    public func removeWorker(id: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM workers WHERE id = ?", arguments: [id]) }
    }
}
