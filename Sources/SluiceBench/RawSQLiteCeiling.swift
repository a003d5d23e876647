import Foundation
import GRDB

/// `sluice-bench raw-sqlite --path FILE [--seconds S]`: the ceiling of a queue on SQLite on this machine, with
/// nothing of Sluice: one connection in WAL mode with `synchronous=NORMAL` (Sluice's settings) runs the essential
/// cycle on a bare table for S seconds each way, and prints one JSON line
/// `{"single_jobs_per_second": X, "batched_jobs_per_second": Y}`:
/// - single: claim one queued row (one write transaction), then mark it done (another);
/// - batched: claim 100 rows in one transaction, then mark the 100 done in one.
enum RawSQLiteCeiling {
    static let batch = 100

    static func run(_ arguments: [String]) throws {
        guard let path = PeerCommands.value("--path", in: arguments) else {
            throw BenchError("usage: sluice-bench raw-sqlite --path FILE [--seconds S]")
        }
        let seconds = Double(PeerCommands.value("--seconds", in: arguments) ?? "") ?? 10
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE raw_queue (id INTEGER PRIMARY KEY, state INTEGER NOT NULL DEFAULT 0, payload TEXT);
                    CREATE INDEX raw_queue_queued ON raw_queue (id) WHERE state = 0;
                    """)
        }
        let single = try measure(queue, seconds: seconds, batch: 1)
        let batched = try measure(queue, seconds: seconds, batch: batch)
        print(#"{"single_jobs_per_second": \#(Int(single)), "batched_jobs_per_second": \#(Int(batched))}"#)
    }

    /// Jobs per second of the claim-then-complete cycle with `batch` rows per transaction, for `seconds`.
    static func measure(_ queue: DatabaseQueue, seconds: Double, batch: Int) throws -> Double {
        try refill(queue, rows: 200_000)
        let limit = Duration.milliseconds(Int(seconds * 1000))
        var elapsed = Duration.zero
        var done = 0
        while elapsed < limit {
            let started = ContinuousClock.now
            let ids = try queue.write { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        UPDATE raw_queue SET state = 1
                        WHERE id IN (SELECT id FROM raw_queue WHERE state = 0 ORDER BY id LIMIT ?) RETURNING id
                        """, arguments: [batch])
            }
            guard !ids.isEmpty else {
                try refill(queue, rows: 200_000)
                continue
            }
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE raw_queue SET state = 2 WHERE id IN (SELECT value FROM json_each(?))",
                    arguments: ["[" + ids.map(String.init).joined(separator: ",") + "]"])
            }
            done += ids.count
            elapsed += ContinuousClock.now - started
        }
        return Double(done) / elapsed.seconds
    }

    /// Deletes every row and queues `rows` new ones (not counted in the measured time).
    static func refill(_ queue: DatabaseQueue, rows: Int) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM raw_queue")
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO raw_queue (payload) SELECT '{}' FROM n
                    """, arguments: [rows])
        }
    }
}
