import Foundation
import GRDB
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func hasAsset(contentHash: String, brandID: UUID) async throws -> Bool {
        try await read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM ad_assets a JOIN competitor_ads c ON c.id = a.ad_id
                    WHERE a.content_hash = ? AND c.brand_id = ? LIMIT 1
                    """, arguments: [contentHash, brandID.storageText]) != nil
        }
    }
}
