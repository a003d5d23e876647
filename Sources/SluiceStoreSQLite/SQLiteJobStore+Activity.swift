import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func runActivity(_ query: RunActivityQuery) async throws -> RunActivity {
        try PageLimit.validate(query.limit)
        return try await read { db in
            guard let afterRunID = query.afterRunID, let afterLogID = query.afterLogID else {
                return RunActivity(
                    runs: [], finished: [], logs: [],
                    lastRunID: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM runs") ?? 0,
                    lastLogID: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM run_logs") ?? 0)
            }
            let columns = SQLiteRows.runColumns
            var runs = try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM runs WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [afterRunID, query.limit]
            ).map(SQLiteRows.run)
            let lastRunID = runs.last?.id ?? afterRunID
            runs += try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM run_queue WHERE state = 'running' AND id <= ?1
                    UNION SELECT \(columns) FROM runs WHERE id IN (\(Self.idList(query.watchedRunIDs))) AND id <= ?1
                    """, arguments: [lastRunID]
            ).map(SQLiteRows.run)
            let finished = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM run_history WHERE finished_at >= ? AND id <= ? ORDER BY finished_at, id LIMIT ?
                    """, arguments: [query.finishedSince.microsecondsSince1970, lastRunID, query.limit]
            ).map(SQLiteRows.run)
            let logs = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT l.*, r.brand_id, r.job_id FROM run_logs l JOIN runs r ON r.id = l.run_id
                        WHERE l.id > ?1 ORDER BY l.id LIMIT ?2)
                    UNION ALL SELECT l.*, r.brand_id, r.job_id FROM run_logs l JOIN runs r ON r.id = l.run_id
                        WHERE l.id IN (\(Self.idList(query.missingLogIDs))) AND l.id <= ?1
                    """, arguments: [afterLogID, query.limit]
            ).map { row in
                ActivityLogLine(
                    line: try SQLiteRows.logLine(row), brandID: try StoredPipelineValues.uuid(row["brand_id"]),
                    jobID: row["job_id"])
            }
            return RunActivity(
                runs: runs, finished: finished, logs: logs, lastRunID: lastRunID,
                lastLogID: max(afterLogID, logs.map(\.line.id).max() ?? afterLogID))
        }
    }

    /// Ids as an SQL list (they are integers, so they need no quoting); `NULL` for none.
    private static func idList(_ ids: [Int64]) -> String {
        ids.isEmpty ? "NULL" : ids.map(String.init).joined(separator: ",")
    }

    public func activeRunCounts() async throws -> [ActiveRunCount] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT job_type, queue, state, count(*) AS n FROM run_queue GROUP BY job_type, queue, state
                    ORDER BY job_type, queue, state
                    """
            ).map { row in
                guard let state = RunState(rawValue: row["state"]) else {
                    throw SluiceError(.storageFailure, "stored run state is unknown")
                }
                return ActiveRunCount(jobType: row["job_type"], queue: row["queue"], state: state, count: row["n"])
            }
        }
    }
}
