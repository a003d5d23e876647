import Foundation
import GRDB
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func deleteInsights(
        brandID: UUID, adAccountID: String, since: String, until: String, keeping kept: Set<InsightKey>
    ) async throws -> Int {
        try await write { db in
            let stored = try Row.fetchAll(
                db,
                sql: """
                    SELECT ad_id, date FROM ad_insights
                    WHERE brand_id = ? AND ad_account_id = ? AND date >= ? AND date <= ?
                    """,
                arguments: [brandID.storageText, adAccountID, since, until])
            let gone = stored.map { InsightKey(adID: $0[0], date: $0[1]) }.filter { !kept.contains($0) }
            let statement = try db.cachedStatement(
                sql: "DELETE FROM ad_insights WHERE brand_id = ? AND ad_id = ? AND date = ?")
            for key in gone { try statement.execute(arguments: [brandID.storageText, key.adID, key.date]) }
            return gone.count
        }
    }
}
