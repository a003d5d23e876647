import Foundation
import PostgresNIO
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func hasAsset(contentHash: String, brandID: UUID) async throws -> Bool {
        try await !rows(
            """
            SELECT 1 FROM ad_assets a JOIN competitor_ads c ON c.id = a.ad_id
            WHERE a.content_hash = \(contentHash) AND c.brand_id = \(brandID) LIMIT 1
            """
        ).isEmpty
    }
}
