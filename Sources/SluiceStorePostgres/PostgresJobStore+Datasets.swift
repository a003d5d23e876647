import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func saveDatasetOverride(_ override: DatasetOverride) async throws {
        try override.validate()
        let now = configuration.now()
        _ = try await rows(
            """
            INSERT INTO dataset_overrides (brand_id, dataset, policy, auto_refresh, parameters, updated_at)
            VALUES (\(override.brandID), \(override.dataset), \(StoredPipelineValues.policyText(override.policy)),
                \(override.autoRefresh), \(StoredPipelineValues.parametersText(override.parameters)), \(now))
            ON CONFLICT (brand_id, dataset) DO UPDATE SET policy = excluded.policy,
                auto_refresh = excluded.auto_refresh, parameters = excluded.parameters, updated_at = excluded.updated_at
            """)
    }

    public func deleteDatasetOverride(brandID: UUID, dataset: String) async throws -> Bool {
        try await !rows(
            """
            DELETE FROM dataset_overrides WHERE brand_id = \(brandID) AND dataset = \(dataset) RETURNING dataset
            """
        ).isEmpty
    }

    public func datasetOverrides(brandID: UUID?) async throws -> [DatasetOverride] {
        try await rows(
            """
            SELECT brand_id, dataset, policy, auto_refresh, parameters FROM dataset_overrides
            WHERE \(brandID)::uuid IS NULL OR brand_id = \(brandID) ORDER BY brand_id, dataset
            """
        ).map { row in
            DatasetOverride(
                brandID: try row["brand_id"].decode(UUID.self), dataset: try row["dataset"].decode(String.self),
                policy: try StoredPipelineValues.policy(row["policy"].decode(String?.self)),
                autoRefresh: try row["auto_refresh"].decode(Bool?.self),
                parameters: try StoredPipelineValues.parameters(row["parameters"].decode(String?.self)))
        }
    }

    public func datasetHistory(_ query: DatasetHistoryQuery) async throws -> [DatasetHistoryEntry] {
        try query.validate()
        return try await rows(
            """
            SELECT id, brand_id, dataset, run_id, outcome, rows_written, error, finished_at FROM dataset_history
            WHERE brand_id = \(query.brandID) AND dataset = \(query.dataset)
                AND (\(query.before)::bigint IS NULL OR id < \(query.before))
            ORDER BY id DESC LIMIT \(query.limit)
            """
        ).map { row in
            guard let outcome = DatasetHistoryEntry.Outcome(rawValue: try row["outcome"].decode(String.self)) else {
                throw SluiceError(.storageFailure, "stored refresh outcome is unknown")
            }
            return DatasetHistoryEntry(
                id: try row["id"].decode(Int64.self), brandID: try row["brand_id"].decode(UUID.self),
                dataset: try row["dataset"].decode(String.self), runID: try row["run_id"].decode(Int64.self),
                outcome: outcome, rowsWritten: try row["rows_written"].decode(Int64?.self),
                error: try row["error"].decode(String?.self), finishedAt: try row["finished_at"].instant())
        }
    }

    public func prunePipeline(_ request: PipelinePruneRequest) async throws -> PipelinePruneResult {
        try request.validate()
        let history = try await rows(
            """
            DELETE FROM dataset_history WHERE id IN (
                SELECT id FROM dataset_history WHERE finished_at < \(request.historyBefore)
                ORDER BY id LIMIT \(request.batchSize))
            RETURNING id
            """
        ).count
        let deliveries = try await rows(
            """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE state IN ('delivered', 'failed') AND created_at < \(request.deliveriesBefore)
                ORDER BY id LIMIT \(request.batchSize))
            RETURNING id
            """
        ).count
        return PipelinePruneResult(historyDeleted: history, deliveriesDeleted: deliveries, batchSize: request.batchSize)
    }
}
