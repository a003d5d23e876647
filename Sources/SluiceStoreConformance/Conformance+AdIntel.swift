import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static func scrapedAd(_ archiveID: String, body: String = "Try it", active: Bool = true) -> ScrapedAd {
        ScrapedAd(
            archiveID: archiveID, pageID: "123456", pageName: "Rival Coffee", isActive: active,
            startedAt: Date(timeIntervalSince1970: 1_767_225_600), platforms: ["facebook", "instagram"],
            displayFormat: "IMAGE", bodies: [body], titles: ["Rival"], linkURL: "https://rival.example/shop",
            callToAction: "SHOP_NOW", collationCount: 3,
            assets: [ScrapedAsset(kind: .image, sourceURL: "https://cdn.example/\(archiveID).jpg")])
    }

    static let adIntelCases: [ConformanceCase] = [
        ConformanceCase("brands and competitors are created, listed, found and deleted with what they own") { fixture in
            let store = fixture.store
            let beans = try await store.createBrand(name: "Beans & Co")
            let acme = try await store.createBrand(name: "Acme")
            #expect(try await store.brands().map(\.name) == ["Acme", "Beans & Co", "Brand A", "Brand B"])
            #expect(try await store.brand(id: beans.id) == beans)
            let rival = try await store.createCompetitor(
                CompetitorRequest(
                    brandID: beans.id, name: "Rival Coffee", pageID: "123456",
                    adLibraryURL: "https://www.facebook.com/ads/library/?country=US&view_all_page_id=123456"))
            _ = try await store.createCompetitor(CompetitorRequest(brandID: beans.id, name: "Another"))
            #expect(try await store.competitors(brandID: beans.id).map(\.name) == ["Another", "Rival Coffee"])
            #expect(try await store.competitor(id: rival.id) == rival)
            #expect(try await store.competitors(brandID: acme.id).isEmpty)
            await expectError(.notFound, field: "brand_id") {
                try await store.createCompetitor(CompetitorRequest(brandID: UUID(), name: "Orphan"))
            }
            await expectError(.invalidArgument, field: "page_id") {
                try await store.createCompetitor(CompetitorRequest(brandID: beans.id, name: "X", pageID: "12a"))
            }
            await expectError(.invalidArgument, field: "name") { try await store.createBrand(name: " ") }
            _ = try await store.saveAds(competitorID: rival.id, [scrapedAd("1001")])
            try await store.deleteBrand(id: beans.id)
            await expectError(.notFound, field: "competitor_id") { try await store.competitor(id: rival.id) }
            #expect(try await store.competitorAds(CompetitorAdQuery(brandID: beans.id)).items.isEmpty)
            await expectError(.notFound, field: "brand_id") { try await store.deleteBrand(id: beans.id) }
        },
        ConformanceCase("scraped ads are saved once per brand: a re-scrape updates, never duplicates") { fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            let other = try await store.createBrand(name: "Other")
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Rival"))
            let elsewhere = try await store.createCompetitor(CompetitorRequest(brandID: other.id, name: "Rival"))
            let first = try await store.saveAds(
                competitorID: rival.id, [scrapedAd("1001"), scrapedAd("1002"), scrapedAd("1001")])
            #expect(first == AdUpsertResult(newArchiveIDs: ["1001", "1002"], updated: 0))
            fixture.clock.advance(by: .seconds(60))
            let again = try await store.saveAds(
                competitorID: rival.id, [scrapedAd("1002", body: "New copy", active: false), scrapedAd("1003")])
            #expect(again == AdUpsertResult(newArchiveIDs: ["1003"], updated: 1))
            // The same archive id tracked by another brand is that brand's own record.
            #expect(try await store.saveAds(competitorID: elsewhere.id, [scrapedAd("1002")]).newArchiveIDs == ["1002"])
            let page = try await store.competitorAds(CompetitorAdQuery(brandID: brand.id, limit: 2))
            #expect(page.items.map(\.ad.archiveID) == ["1003", "1002"])
            let updated = page.items[1]
            #expect(updated.ad.bodies == ["New copy"] && !updated.ad.isActive)
            #expect(updated.lastSeenAt == stored(fixture.clock.now()))
            #expect(updated.firstSeenAt == stored(fixture.clock.now().addingTimeInterval(-60)))
            #expect(updated.ad.assets == scrapedAd("1002").assets && updated.ad.platforms == ["facebook", "instagram"])
            #expect(updated.ad.startedAt == Date(timeIntervalSince1970: 1_767_225_600))
            let rest = try await store.competitorAds(
                CompetitorAdQuery(brandID: brand.id, limit: 2, cursor: page.nextCursor))
            #expect(rest.items.map(\.ad.archiveID) == ["1001"] && rest.nextCursor == nil)
            await expectError(.invalidArgument, field: "archive_id") {
                try await store.saveAds(competitorID: rival.id, [scrapedAd("12-x")])
            }
            await expectError(.notFound, field: "competitor_id") {
                try await store.saveAds(competitorID: UUID(), [scrapedAd("1")])
            }
            #expect(try await store.competitorAds(CompetitorAdQuery(brandID: brand.id)).items.count == 3)
        },
        ConformanceCase("daily insights are saved exactly (decimal spend) and revised days replace stored ones") {
            fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            func row(_ ad: String, _ date: String, spend: String, clicks: Int64 = 3) -> AdInsightRow {
                AdInsightRow(
                    adAccountID: "act_42", adID: ad, adName: "Ad \(ad)", date: date, impressions: 1000, clicks: clicks,
                    reach: 900, spend: Decimal(string: spend)!, actions: ["link_click": clicks])
            }
            let first = try await store.saveInsights(
                brandID: brand.id,
                [
                    row("1", "2026-03-01", spend: "5339.51"), row("2", "2026-03-01", spend: "0.1"),
                    row("1", "2026-03-02", spend: "12"),
                ])
            #expect(first == InsightUpsertResult(inserted: 3, updated: 0))
            let revised = try await store.saveInsights(
                brandID: brand.id,
                [row("1", "2026-03-02", spend: "12.25", clicks: 7), row("1", "2026-03-03", spend: "1")])
            #expect(revised == InsightUpsertResult(inserted: 1, updated: 1))
            let stored = try await store.insights(brandID: brand.id, since: "2026-03-01", until: "2026-03-02")
            #expect(stored.map(\.date) == ["2026-03-01", "2026-03-01", "2026-03-02"])
            #expect(stored[0].spend == Decimal(string: "5339.51")! && stored[1].spend == Decimal(string: "0.1")!)
            #expect(stored[2].spend == Decimal(string: "12.25")! && stored[2].actions == ["link_click": 7])
            await expectError(.notFound, field: "brand_id") {
                try await store.saveInsights(brandID: UUID(), [row("1", "2026-03-01", spend: "1")])
            }
            await expectError(.invalidArgument, field: "date") {
                try await store.saveInsights(brandID: brand.id, [row("1", "2026-3-1", spend: "1")])
            }
        },
        ConformanceCase("templates are kept once per archive id, most recently saved first") { fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            let now = fixture.clock.now()
            let first = try await store.saveTemplates(
                brandID: brand.id,
                [
                    AdTemplate(ad: scrapedAd("1001"), searchTerms: "coffee", reason: "ran 40 days", savedAt: now),
                    AdTemplate(ad: scrapedAd("1002"), searchTerms: "coffee", reason: "ran 90 days", savedAt: now),
                ])
            #expect(first == 2)
            fixture.clock.advance(by: .seconds(10))
            let again = try await store.saveTemplates(
                brandID: brand.id,
                [AdTemplate(ad: scrapedAd("1001"), searchTerms: "beans", reason: "ran 41 days", savedAt: now)])
            #expect(again == 0)
            let templates = try await store.templates(brandID: brand.id, limit: 10)
            #expect(templates.map(\.ad.archiveID) == ["1001", "1002"] && templates[0].searchTerms == "beans")
            #expect(templates[0].ad.bodies == ["Try it"] && templates[0].ad.startedAt == scrapedAd("1001").startedAt)
            #expect(templates[0].savedAt == stored(fixture.clock.now()))
            await expectError(.notFound, field: "brand_id") {
                try await store.saveTemplates(
                    brandID: UUID(), [AdTemplate(ad: scrapedAd("1"), searchTerms: "x", reason: "y", savedAt: now)])
            }
        },
        ConformanceCase("what became of an ad's creatives is recorded per source URL and replaced on retry") {
            fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Rival"))
            _ = try await store.saveAds(competitorID: rival.id, [scrapedAd("1001")])
            #expect(try await store.competitorAd(brandID: brand.id, archiveID: "1001").ad.archiveID == "1001")
            let image = ScrapedAsset(kind: .image, sourceURL: "https://cdn.example/a.jpg")
            let video = ScrapedAsset(kind: .video, sourceURL: "https://cdn.example/b.mp4", cardIndex: 1)
            try await store.recordAssets(
                brandID: brand.id, archiveID: "1001",
                [
                    AdAssetRecord(asset: image, state: .failed, error: "HTTP 500"),
                    AdAssetRecord(asset: video, state: .expired, error: "URL signature expired"),
                ])
            let downloaded = AdAssetRecord(
                asset: image, state: .downloaded, contentHash: String(repeating: "ab", count: 32),
                contentType: "image/jpeg", byteCount: 5120)
            try await store.recordAssets(brandID: brand.id, archiveID: "1001", [downloaded])
            let records = try await store.adAssets(brandID: brand.id, archiveID: "1001")
            #expect(records.map(\.state) == [.downloaded, .expired] && records[0] == downloaded)
            await expectError(.notFound, field: "archive_id") {
                try await store.recordAssets(brandID: brand.id, archiveID: "999", [downloaded])
            }
            await expectError(.notFound, field: "archive_id") {
                try await store.competitorAd(brandID: UUID(), archiveID: "1001")
            }
        },
    ]
}
