import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Records a batch of completions in one statement: the fence (worker, attempt, unexpired lease) is checked
    /// per row by the `DELETE … USING unnest(…)` join that takes the runs out of the queue table, their succeeded
    /// rows go to the history table, and one-time jobs are finished and dataset refreshes recorded
    /// in the same statement. The runs are locked in id order before they are updated, as a heartbeat locks them, so
    /// the two never deadlock.
    public func completeRuns(_ completions: [CompletedRun]) async throws -> Set<Int64> {
        let now = configuration.now()
        let followUps = try configuration.placingFollowUps(of: completions, at: now)
        guard !completions.isEmpty else { return [] }
        if followUps.allSatisfy(\.isEmpty) {
            // The common case: one autocommitted statement, no transaction round trips.
            return try await withConnection { connection in
                try await completeBatch(completions, now: now, into: [], on: connection)
            }
        }
        return try await transaction { connection in
            // All the runs first, in id order, as heartbeats and plain batches lock them: completions with follow-ups
            // then go one by one (their inserts need the run held), the rest in one statement.
            _ = try await rows(
                """
                SELECT id FROM run_queue WHERE id = ANY(\(completions.map(\.lease.runID))) ORDER BY id FOR UPDATE
                """, on: connection)
            var completed: Set<Int64> = []
            for (item, jobs) in zip(completions, followUps) where !jobs.isEmpty {
                if try await completeHeld(item.lease, item.completion, followUps: jobs, now: now, on: connection) != nil
                {
                    completed.insert(item.lease.runID)
                }
            }
            try await notifyWork(followUps.flatMap { $0.map(\.type.queue) }, on: connection)
            let plain = zip(completions, followUps).filter { $0.1.isEmpty }.map(\.0)
            guard !plain.isEmpty else { return completed }
            return try await completeBatch(plain, now: now, into: completed, on: connection)
        }
    }

    /// One statement for completions without follow-ups.
    private func completeBatch(
        _ completions: [CompletedRun], now: Date, into completed: Set<Int64>, on connection: PostgresConnection
    ) async throws -> Set<Int64> {
        let ids = completions.map(\.lease.runID)
        let workers = completions.map(\.lease.workerID)
        let attempts = completions.map { Int64($0.lease.attempt) }
        let results = completions.map { JSONCoding.encodeString($0.completion.result) }
        let rowsWritten = completions.map { $0.completion.rowsWritten ?? -1 }
        // An empty text stands for "no message" in the array (an empty progress message says nothing anyway).
        let messages = completions.map { $0.completion.progressMessage ?? "" }
        let producers = configuration.registry.all.compactMap { type in
            type.dataset.map { (jobType: type.name, dataset: $0) }
        }
        return try await rows(
            """
            WITH input AS (
                SELECT * FROM unnest(\(ids), \(workers), \(attempts), \(results), \(rowsWritten), \(messages))
                    AS i(id, worker_id, attempt, result, rows_written, message)
            ), locked AS MATERIALIZED (
                SELECT id FROM run_queue WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
            ), done AS (
                DELETE FROM run_queue AS runs USING input
                WHERE runs.id = ANY(ARRAY(SELECT id FROM locked)) AND runs.id = input.id AND runs.state = 'running'
                  AND runs.worker_id = input.worker_id AND runs.attempt = input.attempt
                  AND runs.lease_expires_at > \(now)
                RETURNING \(unescaped: Self.qualifiedRunTableColumns), NULLIF(input.rows_written, -1) AS written,
                    input.result AS new_result, COALESCE(NULLIF(input.message, ''), runs.progress_message) AS message
            ), archived AS (
                INSERT INTO run_history (\(unescaped: Self.runTableColumns))
                SELECT id, job_id, brand_id, job_type, queue, priority, parameters, 'succeeded', paused, attempt,
                    max_attempts, scheduled_at, fire_time, created_at, started_at, \(now), worker_id, NULL,
                    cancel_requested, 1, message, NULL, new_result::jsonb, written
                FROM done
            ), finished AS (
                UPDATE jobs SET status = 'finished', updated_at = \(now)
                WHERE jobs.id = ANY(ARRAY(SELECT job_id FROM done)) AND jobs.schedule_kind = 'once'
                  AND jobs.status IN ('active', 'paused')
            ), produced AS (
                SELECT done.id, done.brand_id, d.dataset, coalesce(done.written, 0) AS rows_written FROM done
                JOIN unnest(\(producers.map(\.jobType)), \(producers.map(\.dataset))) AS d(job_type, dataset)
                    ON d.job_type = done.job_type
            ), history AS (
                INSERT INTO dataset_history (brand_id, dataset, run_id, outcome, rows_written, finished_at)
                SELECT brand_id, dataset, id, 'succeeded', rows_written, \(now) FROM produced
            ), refreshed AS (
                INSERT INTO dataset_refreshes (brand_id, dataset, last_success_at, rows_written, last_run_id)
                SELECT DISTINCT ON (brand_id, dataset) brand_id, dataset, \(now), rows_written, id FROM produced
                ORDER BY brand_id, dataset, id DESC
                ON CONFLICT (brand_id, dataset) DO UPDATE SET last_success_at = excluded.last_success_at,
                    rows_written = excluded.rows_written, last_run_id = excluded.last_run_id
            )
            SELECT id FROM done
            """, on: connection
        ).reduce(into: completed) { $0.insert(try $1["id"].decode(Int64.self)) }
    }
}
