import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func prune(_ request: PruneRequest) async throws -> PruneResult {
        try request.validate()
        let cutoff = request.finishedBefore.roundedToMicroseconds
        return try await transaction { connection in
            let ids = try await rows(
                """
                SELECT id FROM run_history
                WHERE finished_at < \(cutoff) AND state = ANY(\(request.stateNames))
                ORDER BY finished_at LIMIT \(request.batchSize) FOR UPDATE SKIP LOCKED
                """, on: connection
            ).map { try $0["id"].decode(Int64.self) }
            let counts = try await rows(
                """
                WITH logs AS (DELETE FROM run_logs WHERE run_id = ANY(\(ids)) RETURNING 1),
                     deleted_runs AS (DELETE FROM run_history AS runs WHERE id = ANY(\(ids)) RETURNING id, job_id)
                SELECT (SELECT count(*) FROM logs) AS logs, (SELECT count(*) FROM deleted_runs) AS runs,
                    (SELECT count(*) FROM deleted_runs AS runs WHERE \(unescaped: Self.runIsJob)) AS stored_jobs
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
                jobsDeleted: jobs.count + (try counts["stored_jobs"].decode(Int.self)),
                isComplete: ids.count < request.batchSize)
        }
    }
}
