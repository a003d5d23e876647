import Foundation
import PostgresNIO
import SluiceCore

/// Moving runs between the queue table and the history table (migration 9).
extension PostgresJobStore {
    /// Every column of `run_queue` and `run_history`, in their shared order.
    static let runTableColumns = """
        id, job_id, brand_id, job_type, queue, priority, parameters, state, paused, attempt, max_attempts,
        scheduled_at, fire_time, created_at, started_at, finished_at, worker_id, lease_expires_at, cancel_requested,
        progress, progress_message, error, result, rows_written
        """

    /// ``runTableColumns`` qualified with `runs.`, for statements that join the run table to others.
    static let qualifiedRunTableColumns = runTableColumns.split(separator: ",")
        .map { "runs." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    /// Moves the runs among `ids` that have finished from the queue table to the history table. Called in the
    /// transaction that finished them, after it updated them.
    func archiveFinishedRuns(_ ids: [Int64], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            """
            WITH moved AS (
                DELETE FROM run_queue WHERE id = ANY(\(ids)) AND state NOT IN ('queued', 'retrying', 'running')
                RETURNING \(unescaped: Self.runTableColumns)
            )
            INSERT INTO run_history (\(unescaped: Self.runTableColumns))
            SELECT \(unescaped: Self.runTableColumns) FROM moved
            """, logger: logger)
    }

    /// Moves a finished run back to the queue table, so that it can be made due again. The caller holds its lock.
    func restoreFinishedRun(_ id: Int64, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH moved AS (
                DELETE FROM run_history WHERE id = \(id) RETURNING \(unescaped: Self.runTableColumns)
            )
            INSERT INTO run_queue (\(unescaped: Self.runTableColumns))
            SELECT \(unescaped: Self.runTableColumns) FROM moved
            """, logger: logger)
    }

    /// Deletes a job's runs, or a brand's, from both run tables with their log lines. On PostgreSQL the run tables
    /// have no foreign keys (a completion would check its job for every run it moves), so whatever deletes jobs
    /// deletes their runs first.
    func deleteRuns(
        ofJob jobID: Int64? = nil, ofBrand brandID: UUID? = nil, on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            WITH doomed AS (
                SELECT id FROM run_queue WHERE job_id = \(jobID) OR brand_id = \(brandID)
                UNION ALL SELECT id FROM run_history WHERE job_id = \(jobID) OR brand_id = \(brandID)
            ), lines AS (
                DELETE FROM run_logs WHERE run_id IN (SELECT id FROM doomed)
            ), queued AS (
                DELETE FROM run_queue WHERE id IN (SELECT id FROM doomed)
            )
            DELETE FROM run_history WHERE id IN (SELECT id FROM doomed)
            """, logger: logger)
    }
}
