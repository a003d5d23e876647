import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func completeRuns(_ completions: [CompletedRun]) async throws -> Set<Int64> {
        let now = configuration.now()
        let followUps = try configuration.placingFollowUps(of: completions, at: now)
        guard !completions.isEmpty else { return [] }
        defer { if followUps.contains(where: { !$0.isEmpty }) { announceWork() } }
        return try await write { db in
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE runs SET state = 'succeeded', finished_at = ?, lease_expires_at = NULL, progress = 1,
                        result = ?, rows_written = ?, error = NULL, progress_message = COALESCE(?, progress_message)
                    WHERE \(Self.fence) RETURNING job_id, job_type, brand_id
                    """)
            var completed: Set<Int64> = []
            var jobIDs: [Int64] = []
            for (item, followUps) in zip(completions, followUps) {
                statement.arguments =
                    [
                        now.microsecondsSince1970, JSONCoding.encodeString(item.completion.result),
                        item.completion.rowsWritten, item.completion.progressMessage,
                    ]
                    + Self.fenceArguments(item.lease, now: now)
                guard let row = try Row.fetchOne(statement) else { continue }
                completed.insert(item.lease.runID)
                jobIDs.append(row[0])
                if let event = DatasetEvent(
                    jobType: row[1], brandID: try StoredPipelineValues.uuid(row[2]), runID: item.lease.runID,
                    outcome: .succeeded(rowsWritten: item.completion.rowsWritten ?? 0),
                    registry: configuration.registry)
                {
                    try Self.apply(event, at: now.microsecondsSince1970, in: db)
                }
                for job in followUps { _ = try Self.insert(job, now: now, in: db) }
            }
            for chunk in stride(from: 0, to: jobIDs.count, by: 500).map({
                Array(jobIDs[$0..<min($0 + 500, jobIDs.count)])
            }) {
                try db.execute(
                    sql: """
                        UPDATE jobs SET status = 'finished', updated_at = ?
                        WHERE id IN \(databaseQuestionMarks(count: chunk.count).inParentheses) AND schedule_kind = 'once'
                          AND status IN ('active', 'paused')
                        """, arguments: [now.microsecondsSince1970] + StatementArguments(chunk))
            }
            return completed
        }
    }
}
