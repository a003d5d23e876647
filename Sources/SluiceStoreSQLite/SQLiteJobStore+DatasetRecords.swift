import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func recordDatasetEvent(_ event: DatasetEvent) async throws {
        try event.validate()
        let now = configuration.now().microsecondsSince1970
        try await write { db in try Self.apply(event, at: now, in: db) }
    }

    /// Records `event` in the dataset's refresh record and, for a finished refresh, its history.
    static func apply(_ event: DatasetEvent, at now: Int64, in db: Database) throws {
        let (columns, values): (String, StatementArguments) =
            switch event.outcome {
            case .attemptStarted: ("last_attempt_at", [now])
            case .succeeded(let rows): ("last_success_at, rows_written", [now, rows])
            case .failed(let error): ("last_failure_at, last_error", [now, StoreArguments.storableError(error)])
            }
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let updates = (names + ["last_run_id"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO dataset_refreshes (brand_id, dataset, \(columns), last_run_id)
                VALUES (?, ?, \(databaseQuestionMarks(count: names.count)), ?)
                ON CONFLICT (brand_id, dataset) DO UPDATE SET \(updates)
                """,
            arguments: [event.brandID.storageText, event.dataset] + values + [event.runID])
        try appendHistory(db, event, at: now)
    }

    /// What the end of a run finishes in its own transaction: its one-time job, its dataset's refresh record, and
    /// for a failure the `run.failed` alert.
    static func recordEnd(of run: Run, now: Date, configuration: StoreConfiguration, in db: Database) throws {
        guard run.state.isTerminal else { return }
        try archiveFinishedRuns(where: "id = ?", [run.id], in: db)
        try finishOneTimeJob(run.jobID, now: now, in: db)
        if let event = configuration.datasetEvent(endingRun: run) {
            try apply(event, at: now.microsecondsSince1970, in: db)
        }
        if let alert = StoredPipelineValues.runFailedAlert(run, now: now) {
            _ = try insertAlert(db, alert, now: now.microsecondsSince1970)
        }
    }

    public func datasetRecord(brandID: UUID, dataset: String) async throws -> DatasetRefreshRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM dataset_refreshes WHERE brand_id = ? AND dataset = ?",
                arguments: [brandID.storageText, dataset]
            ).map(SQLiteRows.datasetRecord)
        }
    }

    public func datasetRecords(brandID: UUID?) async throws -> [DatasetRefreshRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM dataset_refreshes WHERE (?1 IS NULL OR brand_id = ?1) ORDER BY brand_id, dataset
                    """, arguments: [brandID?.storageText]
            ).map(SQLiteRows.datasetRecord)
        }
    }
}
