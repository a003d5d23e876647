import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    /// Served by `runs_finished` on the history table; a bucket's start is the epoch seconds of `finished_at` floored to a multiple of the
    /// width.
    public func runOutcomes(since: Date, bucketSeconds: Int, brandID: UUID?) async throws -> [RunOutcomeBucket] {
        try RunOutcomeBucket.validate(bucketSeconds: bucketSeconds)
        let width = Int64(bucketSeconds)
        return try await rows(
            """
            SELECT floor(extract(epoch FROM finished_at) / \(width))::bigint * \(width) AS bucket,
                count(*) FILTER (WHERE state = 'succeeded') AS succeeded,
                count(*) FILTER (WHERE state IN ('failed', 'timed_out')) AS failed
            FROM run_history
            WHERE finished_at >= \(since) AND state IN ('succeeded', 'failed', 'timed_out')
                AND (\(brandID)::uuid IS NULL OR brand_id = \(brandID))
            GROUP BY 1 ORDER BY 1
            """
        ).map { row in
            RunOutcomeBucket(
                start: Date(timeIntervalSince1970: TimeInterval(try row["bucket"].decode(Int64.self))),
                succeeded: try row["succeeded"].decode(Int.self), failed: try row["failed"].decode(Int.self))
        }
    }
}
