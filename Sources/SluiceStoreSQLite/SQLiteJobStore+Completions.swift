import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Records a batch of completions in one write transaction: per run, one cached statement copies the fenced run
    /// into the history table as succeeded and another deletes it from the queue table.
    public func completeRuns(_ completions: [CompletedRun]) async throws -> Set<Int64> {
        let now = configuration.now()
        let followUps = try configuration.placingFollowUps(of: completions, at: now)
        guard !completions.isEmpty else { return [] }
        defer { if followUps.contains(where: { !$0.isEmpty }) { announceWork() } }
        return try await write { db in try complete(completions, followUps: followUps, now: now, in: db) }
    }

    /// Completes and claims in one write transaction: the completions first, so that they free their job types'
    /// concurrency for the claim.
    public func completeRuns(
        _ completions: [CompletedRun], thenClaiming request: ClaimRequest
    ) async throws
        -> CompletionsAndClaims
    {
        try request.validate()
        let plan = try ClaimPlan(request, registry: configuration.registry)
        let now = configuration.now()
        let followUps = try configuration.placingFollowUps(of: completions, at: now)
        defer { if followUps.contains(where: { !$0.isEmpty }) { announceWork() } }
        return try await write { db in
            CompletionsAndClaims(
                completed: try complete(completions, followUps: followUps, now: now, in: db),
                claimed: try Self.claim(plan, request, now: now, in: db))
        }
    }

    /// Records completions within a write transaction (see ``completeRuns(_:)``).
    private func complete(
        _ completions: [CompletedRun], followUps: [[ValidatedJob]], now: Date, in db: Database
    ) throws -> Set<Int64> {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO run_history (\(Self.runTableColumns))
                SELECT id, job_id, brand_id, job_type, queue, priority, parameters, 'succeeded', paused, attempt,
                    max_attempts, scheduled_at, fire_time, created_at, started_at, ?, worker_id, NULL,
                    cancel_requested, 1, COALESCE(?, progress_message), NULL, ?, ?
                FROM run_queue WHERE \(Self.fence) RETURNING job_id, job_type, brand_id
                """)
        let dequeue = try db.cachedStatement(sql: "DELETE FROM run_queue WHERE id = ?")
        var completed: Set<Int64> = []
        var jobIDs: [Int64] = []
        for (item, followUps) in zip(completions, followUps) {
            statement.arguments =
                [
                    now.microsecondsSince1970, item.completion.progressMessage,
                    JSONCoding.encodeString(item.completion.result), item.completion.rowsWritten,
                ]
                + Self.fenceArguments(item.lease, now: now)
            guard let row = try Row.fetchOne(statement) else { continue }
            try dequeue.execute(arguments: [item.lease.runID])
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
