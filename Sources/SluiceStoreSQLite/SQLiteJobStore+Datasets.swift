import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Appends a finished refresh (success or failure) to the dataset's history.
    static func appendHistory(_ db: Database, _ event: DatasetEvent, at now: Int64) throws {
        guard let history = event.historyRecord else { return }
        try db.execute(
            sql: """
                INSERT INTO dataset_history (brand_id, dataset, run_id, outcome, rows_written, error, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.brandID.storageText, event.dataset, event.runID, history.outcome.rawValue, history.rows,
                history.error, now,
            ])
    }

    public func saveDatasetOverride(_ override: DatasetOverride) async throws {
        try override.validate()
        let now = configuration.now().microsecondsSince1970
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO dataset_overrides (brand_id, dataset, policy, auto_refresh, parameters, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (brand_id, dataset) DO UPDATE SET policy = excluded.policy,
                        auto_refresh = excluded.auto_refresh, parameters = excluded.parameters,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    override.brandID.storageText, override.dataset, StoredPipelineValues.policyText(override.policy),
                    override.autoRefresh, StoredPipelineValues.parametersText(override.parameters), now,
                ])
        }
    }

    public func deleteDatasetOverride(brandID: UUID, dataset: String) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM dataset_overrides WHERE brand_id = ? AND dataset = ?",
                arguments: [brandID.storageText, dataset])
            return db.changesCount > 0
        }
    }

    public func datasetOverrides(brandID: UUID?) async throws -> [DatasetOverride] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT brand_id, dataset, policy, auto_refresh, parameters FROM dataset_overrides
                    WHERE (?1 IS NULL OR brand_id = ?1) ORDER BY brand_id, dataset
                    """, arguments: [brandID?.storageText]
            ).map { row in
                DatasetOverride(
                    brandID: try StoredPipelineValues.uuid(row[0]), dataset: row[1],
                    policy: try StoredPipelineValues.policy(row[2]), autoRefresh: row[3],
                    parameters: try StoredPipelineValues.parameters(row[4]))
            }
        }
    }

    public func datasetHistory(_ query: DatasetHistoryQuery) async throws -> [DatasetHistoryEntry] {
        try query.validate()
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, brand_id, dataset, run_id, outcome, rows_written, error, finished_at
                    FROM dataset_history WHERE brand_id = ? AND dataset = ? AND (?3 IS NULL OR id < ?3)
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [query.brandID.storageText, query.dataset, query.before, query.limit]
            ).map { row in
                guard let outcome = DatasetHistoryEntry.Outcome(rawValue: row[4]) else {
                    throw SluiceError(.storageFailure, "stored refresh outcome is unknown")
                }
                return DatasetHistoryEntry(
                    id: row[0], brandID: try StoredPipelineValues.uuid(row[1]), dataset: row[2], runID: row[3],
                    outcome: outcome, rowsWritten: row[5], error: row[6],
                    finishedAt: Date(microsecondsSince1970: row[7]))
            }
        }
    }

    public func prunePipeline(_ request: PipelinePruneRequest) async throws -> PipelinePruneResult {
        try request.validate()
        return try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM dataset_history WHERE id IN (
                        SELECT id FROM dataset_history WHERE finished_at < ? ORDER BY id LIMIT ?)
                    """, arguments: [request.historyBefore.microsecondsSince1970, request.batchSize])
            let history = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM webhook_deliveries WHERE id IN (
                        SELECT id FROM webhook_deliveries
                        WHERE state IN ('delivered', 'failed') AND created_at < ? ORDER BY id LIMIT ?)
                    """, arguments: [request.deliveriesBefore.microsecondsSince1970, request.batchSize])
            return PipelinePruneResult(
                historyDeleted: history, deliveriesDeleted: db.changesCount, batchSize: request.batchSize)
        }
    }
}
