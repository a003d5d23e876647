import Foundation
import GRDB

/// Moving runs between the queue table and the history table (migration 9).
extension SQLiteJobStore {
    /// Every column of `run_queue` and `run_history`, in their shared order.
    static let runTableColumns = """
        id, job_id, brand_id, job_type, queue, priority, parameters, state, paused, attempt, max_attempts,
        scheduled_at, fire_time, created_at, started_at, finished_at, worker_id, lease_expires_at, cancel_requested,
        progress, progress_message, error, result, rows_written
        """

    /// The states of the runs that the queue table holds.
    static let unfinishedStates = "('queued', 'retrying', 'running')"

    /// Moves the finished runs that `condition` selects (`id = ?`, `job_id = ?`) from the queue table to the history
    /// table. Called in the transaction that finished them, after it updated them.
    static func archiveFinishedRuns(where condition: String, _ arguments: StatementArguments, in db: Database) throws {
        let finished = "(\(condition)) AND state NOT IN \(unfinishedStates)"
        try db.execute(
            sql: """
                INSERT INTO run_history (\(runTableColumns)) SELECT \(runTableColumns) FROM run_queue WHERE \(finished);
                DELETE FROM run_queue WHERE \(finished)
                """, arguments: arguments + arguments)
    }

    /// Moves a finished run back to the queue table, so that it can be made due again.
    static func restoreFinishedRun(_ id: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO run_queue (\(runTableColumns)) SELECT \(runTableColumns) FROM run_history WHERE id = ?;
                DELETE FROM run_history WHERE id = ?
                """, arguments: [id, id])
    }

    /// Deletes the runs that `condition` selects (`job_id = ?`, `brand_id = ?`) from both tables, with their log
    /// lines: neither has a foreign key (migration 10), so whatever deletes jobs or brands deletes their runs.
    static func deleteRuns(where condition: String, _ arguments: StatementArguments, in db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM run_logs WHERE run_id IN (SELECT id FROM runs WHERE \(condition));
                DELETE FROM run_queue WHERE \(condition);
                DELETE FROM run_history WHERE \(condition)
                """, arguments: arguments + arguments + arguments)
    }
}
