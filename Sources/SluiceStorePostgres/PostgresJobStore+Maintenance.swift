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

    public func acquireLease(_ request: LeaderLeaseRequest) async throws -> Bool {
        try request.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(request.ttl.seconds).roundedToMicroseconds
        return
            !(try await rows(
                """
                INSERT INTO leader_leases (name, holder, expires_at) VALUES (\(request.name), \(request.holder), \(expires))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= \(now)
                RETURNING holder
                """
            )).isEmpty
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        !(try await rows("DELETE FROM leader_leases WHERE name = \(name) AND holder = \(holder) RETURNING name"))
            .isEmpty
    }

    public func leaseHolder(name: String) async throws -> String? {
        let now = configuration.now()
        return try await rows("SELECT holder FROM leader_leases WHERE name = \(name) AND expires_at > \(now)")
            .first?["holder"].decode(String.self)
    }

    public func prune(_ request: PruneRequest) async throws -> PruneResult {
        try request.validate()
        let cutoff = request.finishedBefore.roundedToMicroseconds
        return try await transaction { connection in
            let ids = try await rows(
                """
                SELECT id FROM runs
                WHERE finished_at < \(cutoff) AND state = ANY(\(request.stateNames))
                ORDER BY finished_at LIMIT \(request.batchSize) FOR UPDATE SKIP LOCKED
                """, on: connection
            ).map { try $0["id"].decode(Int64.self) }
            let counts = try await rows(
                """
                WITH logs AS (DELETE FROM run_logs WHERE run_id = ANY(\(ids)) RETURNING 1),
                     deleted_runs AS (DELETE FROM runs WHERE id = ANY(\(ids)) RETURNING 1)
                SELECT (SELECT count(*) FROM logs) AS logs, (SELECT count(*) FROM deleted_runs) AS runs
                """, on: connection)[0]
            let jobs = try await rows(
                """
                DELETE FROM jobs WHERE id IN (
                    SELECT id FROM jobs WHERE status IN ('finished', 'cancelled') AND updated_at < \(cutoff)
                      AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.job_id = jobs.id)
                    LIMIT \(request.batchSize) FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """, on: connection)
            return PruneResult(
                runsDeleted: try counts["runs"].decode(Int.self), logLinesDeleted: try counts["logs"].decode(Int.self),
                jobsDeleted: jobs.count, isComplete: ids.count < request.batchSize)
        }
    }
}
