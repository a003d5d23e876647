import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// The demo's brand, competitors (three pages of the fake Ad Library) and recurring sync.
enum DemoData {
    static let brandName = "Acme Coffee"
    static let competitors = [("Rival Coffee", "123456"), ("Bean Bros", "234567"), ("Roast Republic", "345678")]

    /// Seeds an empty database; returns false (and changes nothing) when it already has brands.
    static func seed(_ client: SluiceClient, _ adIntel: AdIntelClient) async throws -> Bool {
        guard try await client.brands().isEmpty else { return false }
        // The fake Ad Library answers at a demo's pace, not at Meta's 200 calls an hour.
        try await client.configureRateLimiter(
            RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 20, burst: 20))
        let brand = try await client.createBrand(name: brandName)
        for (name, page) in competitors {
            _ = try await adIntel.createCompetitor(
                CompetitorRequest(
                    brandID: brand.id, name: name, pageID: page,
                    adLibraryURL: "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
                        + "&media_type=all&search_type=page&view_all_page_id=\(page)"))
        }
        _ = try await client.enqueue(
            JobRequest(
                brandID: brand.id, jobType: "meta_sync", parameters: ["ad_account_id": "act_42"],
                schedule: .cron("0 6 * * *", timeZone: "Europe/Berlin")))
        return true
    }
}
