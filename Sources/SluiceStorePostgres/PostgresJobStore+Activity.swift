import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func runActivity(_ query: RunActivityQuery) async throws -> RunActivity {
        try PageLimit.validate(query.limit)
        guard let afterRunID = query.afterRunID, let afterLogID = query.afterLogID else {
            let marks = try await rows(
                """
                SELECT (SELECT COALESCE(max(id), 0) FROM runs) AS runs, (SELECT COALESCE(max(id), 0) FROM run_logs) AS logs
                """)[0]
            return RunActivity(
                runs: [], finished: [], logs: [], lastRunID: try marks["runs"].decode(Int64.self),
                lastLogID: try marks["logs"].decode(Int64.self))
        }
        let columns = PostgresRows.runColumns
        var runs = try await rows(
            "SELECT \(unescaped: columns) FROM runs WHERE id > \(afterRunID) ORDER BY id LIMIT \(query.limit)"
        ).map(PostgresRows.run)
        let lastRunID = runs.last?.id ?? afterRunID
        runs += try await rows(
            """
            SELECT \(unescaped: columns) FROM run_queue AS runs WHERE state = 'running' AND id <= \(lastRunID)
            UNION SELECT \(unescaped: columns) FROM runs WHERE id = ANY(\(query.watchedRunIDs)) AND id <= \(lastRunID)
            """
        ).map(PostgresRows.run)
        let finished = try await rows(
            """
            SELECT \(unescaped: columns) FROM run_history AS runs WHERE finished_at >= \(query.finishedSince) AND id <= \(lastRunID)
            ORDER BY finished_at, id LIMIT \(query.limit)
            """
        ).map(PostgresRows.run)
        let logs = try await rows(
            """
            (SELECT l.id, l.run_id, l.attempt, l.at, l.level, l.message, r.brand_id, r.job_id
                FROM run_logs l JOIN runs r ON r.id = l.run_id WHERE l.id > \(afterLogID) ORDER BY l.id LIMIT \(query.limit))
            UNION ALL SELECT l.id, l.run_id, l.attempt, l.at, l.level, l.message, r.brand_id, r.job_id
                FROM run_logs l JOIN runs r ON r.id = l.run_id
                WHERE l.id = ANY(\(query.missingLogIDs)) AND l.id <= \(afterLogID)
            """
        ).map { row in
            ActivityLogLine(
                line: try PostgresRows.logLine(row), brandID: try row["brand_id"].decode(UUID.self),
                jobID: try row["job_id"].decode(Int64.self))
        }
        return RunActivity(
            runs: runs, finished: finished, logs: logs, lastRunID: lastRunID,
            lastLogID: max(afterLogID, logs.map(\.line.id).max() ?? afterLogID))
    }

    public func activeRunCounts() async throws -> [ActiveRunCount] {
        try await rows(
            """
            SELECT job_type, queue, state, count(*) AS n FROM run_queue GROUP BY job_type, queue, state
            ORDER BY job_type, queue, state
            """
        ).map { row in
            guard let state = RunState(rawValue: try row["state"].decode(String.self)) else {
                throw SluiceError(.storageFailure, "stored run state is unknown")
            }
            return ActiveRunCount(
                jobType: try row["job_type"].decode(String.self), queue: try row["queue"].decode(String.self),
                state: state, count: try row["n"].decode(Int.self))
        }
    }
}
