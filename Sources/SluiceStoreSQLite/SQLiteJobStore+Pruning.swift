import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func prune(_ request: PruneRequest) async throws -> PruneResult {
        try request.validate()
        let cutoff = request.finishedBefore.microsecondsSince1970
        let states = request.stateNames
        return try await write { db in
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM run_history
                    WHERE finished_at < ? AND state IN \(databaseQuestionMarks(count: states.count).inParentheses)
                    ORDER BY finished_at LIMIT ?
                    """, arguments: [cutoff] + StatementArguments(states) + [request.batchSize])
            var logLines = 0
            var jobsStoredAsRuns = 0
            if !ids.isEmpty {
                let list = databaseQuestionMarks(count: ids.count).inParentheses
                jobsStoredAsRuns =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM run_history WHERE id IN \(list) AND \(Self.runIsJob("run_history"))
                            """, arguments: StatementArguments(ids)) ?? 0
                try db.execute(sql: "DELETE FROM run_logs WHERE run_id IN \(list)", arguments: StatementArguments(ids))
                logLines = db.changesCount
                try db.execute(sql: "DELETE FROM run_history WHERE id IN \(list)", arguments: StatementArguments(ids))
            }
            try db.execute(
                sql: """
                    DELETE FROM jobs WHERE id IN (
                        SELECT id FROM jobs WHERE status IN ('finished', 'cancelled') AND updated_at < ?
                          AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.job_id = jobs.id)
                        LIMIT ?)
                    """, arguments: [cutoff, request.batchSize])
            return PruneResult(
                runsDeleted: ids.count, logLinesDeleted: logLines, jobsDeleted: db.changesCount + jobsStoredAsRuns,
                isComplete: ids.count < request.batchSize)
        }
    }
}
