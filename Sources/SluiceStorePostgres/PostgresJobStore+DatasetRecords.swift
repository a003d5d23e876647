import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func recordDatasetEvent(_ event: DatasetEvent) async throws {
        try event.validate()
        let now = configuration.now()
        if event.historyRecord == nil {
            _ = try await rows(Self.refreshUpsert(event, now: now))
        } else {
            try await transaction { connection in try await apply(event, now: now, on: connection) }
        }
    }

    /// Records `event` in the dataset's refresh record and, for a finished refresh, its history.
    func apply(_ event: DatasetEvent, now: Date, on connection: PostgresConnection) async throws {
        _ = try await rows(Self.refreshUpsert(event, now: now), on: connection)
        guard let history = event.historyRecord else { return }
        _ = try await rows(
            """
            INSERT INTO dataset_history (brand_id, dataset, run_id, outcome, rows_written, error, finished_at)
            VALUES (\(event.brandID), \(event.dataset), \(event.runID), \(history.outcome.rawValue),
                \(history.rows), \(history.error), \(now))
            """, on: connection)
    }

    /// What the end of a run finishes in its own transaction: its one-time job, its dataset's refresh record, and
    /// for a failure the `run.failed` alert.
    func recordEnd(of run: Run, now: Date, on connection: PostgresConnection) async throws {
        guard run.state.isTerminal else { return }
        try await archiveFinishedRuns([run.id], on: connection)
        try await finishOneTimeJob(run.jobID, now: now, on: connection)
        if let event = configuration.datasetEvent(endingRun: run) { try await apply(event, now: now, on: connection) }
        if let alert = StoredPipelineValues.runFailedAlert(run, now: now) {
            _ = try await Self.insertAlert(alert, now: now) { query in try await rows(query, on: connection) }
        }
    }

    private static func refreshUpsert(_ event: DatasetEvent, now: Date) -> PostgresQuery {
        switch event.outcome {
        case .attemptStarted:
            """
            INSERT INTO dataset_refreshes (brand_id, dataset, last_attempt_at, last_run_id)
            VALUES (\(event.brandID), \(event.dataset), \(now), \(event.runID))
            ON CONFLICT (brand_id, dataset) DO UPDATE
            SET last_attempt_at = excluded.last_attempt_at, last_run_id = excluded.last_run_id
            """
        case .succeeded(let rows):
            """
            INSERT INTO dataset_refreshes (brand_id, dataset, last_success_at, rows_written, last_run_id)
            VALUES (\(event.brandID), \(event.dataset), \(now), \(rows), \(event.runID))
            ON CONFLICT (brand_id, dataset) DO UPDATE
            SET last_success_at = excluded.last_success_at, rows_written = excluded.rows_written,
                last_run_id = excluded.last_run_id
            """
        case .failed(let error):
            """
            INSERT INTO dataset_refreshes (brand_id, dataset, last_failure_at, last_error, last_run_id)
            VALUES (\(event.brandID), \(event.dataset), \(now), \(StoreArguments.storableError(error)), \(event.runID))
            ON CONFLICT (brand_id, dataset) DO UPDATE
            SET last_failure_at = excluded.last_failure_at, last_error = excluded.last_error,
                last_run_id = excluded.last_run_id
            """
        }
    }

    public func datasetRecord(brandID: UUID, dataset: String) async throws -> DatasetRefreshRecord? {
        try await rows(
            "SELECT * FROM dataset_refreshes WHERE brand_id = \(brandID) AND dataset = \(dataset)"
        ).first.map(PostgresRows.datasetRecord)
    }

    public func datasetRecords(brandID: UUID?) async throws -> [DatasetRefreshRecord] {
        try await rows(
            """
            SELECT * FROM dataset_refreshes WHERE (\(brandID)::uuid IS NULL OR brand_id = \(brandID))
            ORDER BY brand_id, dataset
            """
        ).map(PostgresRows.datasetRecord)
    }
}
