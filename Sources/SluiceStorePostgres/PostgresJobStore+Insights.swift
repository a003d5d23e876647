import Foundation
import PostgresNIO
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func deleteInsights(
        brandID: UUID, adAccountID: String, since: String, until: String, keeping kept: Set<InsightKey>
    ) async throws -> Int {
        let keys = Array(kept)
        let counted = try await rows(
            """
            WITH gone AS (
                DELETE FROM ad_insights i
                WHERE i.brand_id = \(brandID) AND i.ad_account_id = \(adAccountID)
                  AND i.date >= \(since)::date AND i.date <= \(until)::date
                  AND NOT EXISTS (
                      SELECT 1 FROM unnest(\(keys.map(\.adID)), \(keys.map(\.date))) AS k(ad_id, date)
                      WHERE k.ad_id = i.ad_id AND k.date::date = i.date)
                RETURNING 1
            )
            SELECT count(*) AS deleted FROM gone
            """)
        return try counted.first?["deleted"].decode(Int.self) ?? 0
    }
}
