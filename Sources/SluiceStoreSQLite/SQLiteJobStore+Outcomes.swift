import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    /// Served by `runs_finished` on the history table; a bucket's start is `finished_at` floored to a multiple of the width in
    /// microseconds (the modulo is made non-negative so that instants before 1970 floor too).
    public func runOutcomes(since: Date, bucketSeconds: Int, brandID: UUID?) async throws -> [RunOutcomeBucket] {
        try RunOutcomeBucket.validate(bucketSeconds: bucketSeconds)
        let width = Int64(bucketSeconds) * 1_000_000
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT finished_at - ((finished_at % ?1) + ?1) % ?1 AS bucket,
                        SUM(CASE WHEN state = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
                        SUM(CASE WHEN state IN ('failed', 'timed_out') THEN 1 ELSE 0 END) AS failed
                    FROM run_history
                    WHERE finished_at >= ?2 AND state IN ('succeeded', 'failed', 'timed_out')
                        AND (?3 IS NULL OR brand_id = ?3)
                    GROUP BY bucket ORDER BY bucket
                    """, arguments: [width, since.microsecondsSince1970, brandID?.storageText]
            ).map { row in
                RunOutcomeBucket(
                    start: Date(microsecondsSince1970: row["bucket"]), succeeded: row["succeeded"],
                    failed: row["failed"])
            }
        }
    }
}
