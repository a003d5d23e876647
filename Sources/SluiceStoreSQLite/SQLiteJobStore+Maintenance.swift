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

    public func acquireLease(_ request: LeaderLeaseRequest) async throws -> Bool {
        try request.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(request.ttl.seconds).roundedToMicroseconds
        return try await write { db in
            try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO leader_leases (name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= ?
                    RETURNING holder
                    """,
                arguments: [
                    request.name, request.holder, expires.microsecondsSince1970, now.microsecondsSince1970,
                ]) != nil
        }
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM leader_leases WHERE name = ? AND holder = ?", arguments: [name, holder])
            return db.changesCount > 0
        }
    }

    public func leaseHolder(name: String) async throws -> String? {
        let now = configuration.now().microsecondsSince1970
        return try await read { db in
            try String.fetchOne(
                db, sql: "SELECT holder FROM leader_leases WHERE name = ? AND expires_at > ?", arguments: [name, now])
        }
    }

    public func prune(_ request: PruneRequest) async throws -> PruneResult {
        try request.validate()
        let cutoff = request.finishedBefore.microsecondsSince1970
        let states = request.stateNames
        return try await write { db in
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM runs
                    WHERE finished_at < ? AND state IN \(databaseQuestionMarks(count: states.count).inParentheses)
                    ORDER BY finished_at LIMIT ?
                    """, arguments: [cutoff] + StatementArguments(states) + [request.batchSize])
            var logLines = 0
            if !ids.isEmpty {
                let list = databaseQuestionMarks(count: ids.count).inParentheses
                try db.execute(sql: "DELETE FROM run_logs WHERE run_id IN \(list)", arguments: StatementArguments(ids))
                logLines = db.changesCount
                try db.execute(sql: "DELETE FROM runs WHERE id IN \(list)", arguments: StatementArguments(ids))
            }
            try db.execute(
                sql: """
                    DELETE FROM jobs WHERE id IN (
                        SELECT id FROM jobs WHERE status IN ('finished', 'cancelled') AND updated_at < ?
                          AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.job_id = jobs.id)
                        LIMIT ?)
                    """, arguments: [cutoff, request.batchSize])
            return PruneResult(
                runsDeleted: ids.count, logLinesDeleted: logLines, jobsDeleted: db.changesCount,
                isComplete: ids.count < request.batchSize)
        }
    }
}
