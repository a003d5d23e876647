import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func appendLogs(_ lease: RunLease, _ lines: [NewLogLine]) async throws {
        guard !lines.isEmpty else { return }
        let now = configuration.now()
        try await write { db in
            guard
                try Row.fetchOne(
                    db, sql: "SELECT 1 FROM run_queue WHERE \(Self.fence)",
                    arguments: Self.fenceArguments(lease, now: now))
                    != nil
            else { throw SluiceError.leaseLost(lease) }
            let statement = try db.cachedStatement(
                sql: "INSERT INTO run_logs (run_id, attempt, at, level, message) VALUES (?, ?, ?, ?, ?)")
            for line in lines {
                try statement.execute(arguments: [
                    lease.runID, lease.attempt, line.at.microsecondsSince1970, line.level.rawValue, line.message,
                ])
            }
        }
    }

    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        try query.validate()
        return try await read { db in
            _ = try Self.fetchRun(query.runID, in: db)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM run_logs WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [query.runID, query.after ?? 0, query.limit]
            ).map(SQLiteRows.logLine)
        }
    }

    public func logSummary(runID: Int64) async throws -> LogSummary {
        try await read { db in
            _ = try Self.fetchRun(runID, in: db)
            return try Self.summary(of: runID, in: db)
        }
    }

    public func logSummaries(runIDs: [Int64]) async throws -> [Int64: LogSummary] {
        guard runIDs.count <= 1000 else { throw SluiceError.invalidArgument("run_ids", "at most 1000 at once") }
        return try await read { db in
            let existing = try Int64.fetchSet(
                db, sql: "SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [JSONValue.array(runIDs.map(JSONValue.int)).jsonText])
            var summaries: [Int64: LogSummary] = [:]
            for id in existing { summaries[id] = try Self.summary(of: id, in: db) }
            return summaries
        }
    }

    /// Counts and the last lines of the log of a run known to exist.
    private static func summary(of runID: Int64, in db: Database) throws -> LogSummary {
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS lines, COALESCE(SUM(level = 'warning'), 0) AS warnings,
                    COALESCE(SUM(level = 'error'), 0) AS errors
                FROM run_logs WHERE run_id = ?
                """, arguments: [runID])!
        let last = try String.fetchOne(
            db, sql: "SELECT message FROM run_logs WHERE run_id = ? ORDER BY id DESC LIMIT 1", arguments: [runID])
        let lastError = try String.fetchOne(
            db, sql: "SELECT message FROM run_logs WHERE run_id = ? AND level = 'error' ORDER BY id DESC LIMIT 1",
            arguments: [runID])
        return LogSummary(
            lines: counts["lines"], warnings: counts["warnings"], errors: counts["errors"], lastMessage: last,
            lastError: lastError)
    }
}
