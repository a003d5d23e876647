import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func appendLogs(_ lease: RunLease, _ lines: [NewLogLine]) async throws {
        guard !lines.isEmpty else { return }
        let now = configuration.now()
        try await transaction { connection in
            guard !(try await rows(Self.fenced(lease, now: now), on: connection)).isEmpty else {
                throw SluiceError.leaseLost(lease)
            }
            try await connection.query(
                """
                INSERT INTO run_logs (run_id, attempt, at, level, message)
                SELECT \(lease.runID), \(lease.attempt), at, level, message
                FROM unnest(\(lines.map(\.at)), \(lines.map(\.level.rawValue)),
                    \(lines.map(\.message))) AS l(at, level, message)
                """, logger: logger)
        }
    }

    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        try query.validate()
        _ = try await run(id: query.runID)
        return try await rows(
            """
            SELECT id, run_id, attempt, at, level, message FROM run_logs
            WHERE run_id = \(query.runID) AND id > \(query.after ?? 0) ORDER BY id LIMIT \(query.limit)
            """
        ).map(PostgresRows.logLine)
    }

    public func logSummary(runID: Int64) async throws -> LogSummary {
        _ = try await run(id: runID)
        return try await logSummaries(runIDs: [runID])[runID] ?? .empty
    }

    public func logSummaries(runIDs: [Int64]) async throws -> [Int64: LogSummary] {
        guard runIDs.count <= 1000 else { throw SluiceError.invalidArgument("run_ids", "at most 1000 at once") }
        guard !runIDs.isEmpty else { return [:] }
        let rows = try await rows(
            """
            SELECT r.id AS run_id, s.lines, s.warnings, s.errors,
                (SELECT message FROM run_logs WHERE run_id = r.id ORDER BY id DESC LIMIT 1) AS last_message,
                (SELECT message FROM run_logs WHERE run_id = r.id AND level = 'error' ORDER BY id DESC LIMIT 1)
                    AS last_error
            FROM runs r
            CROSS JOIN LATERAL (
                SELECT count(*) AS lines, count(*) FILTER (WHERE level = 'warning') AS warnings,
                    count(*) FILTER (WHERE level = 'error') AS errors
                FROM run_logs WHERE run_id = r.id
            ) s
            WHERE r.id = ANY(\(runIDs))
            """
        )
        var summaries: [Int64: LogSummary] = [:]
        for row in rows {
            summaries[try row["run_id"].decode(Int64.self)] = LogSummary(
                lines: try row["lines"].decode(Int.self), warnings: try row["warnings"].decode(Int.self),
                errors: try row["errors"].decode(Int.self), lastMessage: try row["last_message"].decode(String?.self),
                lastError: try row["last_error"].decode(String?.self))
        }
        return summaries
    }
}
