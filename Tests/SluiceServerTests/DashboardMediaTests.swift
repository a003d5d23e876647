import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Dashboard: downloaded creatives are served by brand")
struct DashboardMediaTests {
    let pages = DashboardLoginTests()

    @Test("a brand-scoped session gets its brand's creatives and 404 for another brand's; unscoped ones get both")
    func mediaIsBrandScoped() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-media-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        try await ServerFixture.with(assetDirectory: root) { fixture in
            var names: [UUID: String] = [:]
            for (brand, byte, archiveID) in [(fixture.brandA.id, "aa", "1001"), (fixture.brandB.id, "bb", "1002")] {
                let hash = String(repeating: byte, count: 32)
                try await Self.storeCreative(
                    hash: hash, archiveID: archiveID, brand: brand, root: root, fixture: fixture)
                names[brand] = "\(hash).jpg"
            }
            let (own, others) = (try #require(names[fixture.brandA.id]), try #require(names[fixture.brandB.id]))
            try await fixture.withRouter { api in
                let scoped = try await api.session("scoped_viewer")
                let served = try await pages.page(api, "/media/\(own)", cookie: scoped)
                #expect(served.status == .ok && served.headers[.contentType] == "image/jpeg")
                #expect(try await pages.page(api, "/media/\(others)", cookie: scoped).status == .notFound)
                let unknown = String(repeating: "cc", count: 32) + ".jpg"
                #expect(try await pages.page(api, "/media/\(unknown)", cookie: scoped).status == .notFound)
                let viewer = try await api.session("viewer")
                for name in [own, others] {
                    #expect(try await pages.page(api, "/media/\(name)", cookie: viewer).status == .ok)
                }
            }
        }
    }

    /// Stores a creative's bytes under `root` as the asset store does and records it as downloaded for a new ad
    /// `archiveID` of `brand`.
    static func storeCreative(
        hash: String, archiveID: String, brand: UUID, root: URL, fixture: ServerFixture
    ) async throws {
        let folder = root.appendingPathComponent(String(hash.prefix(2)))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([0xFF, 0xD8, 0xFF]).write(to: folder.appendingPathComponent("\(hash).jpg"))
        let rival = try await fixture.adIntel.createCompetitor(CompetitorRequest(brandID: brand, name: "Rival"))
        _ = try await fixture.store.saveAds(
            competitorID: rival.id, [ScrapedAd(archiveID: archiveID, isActive: true)])
        try await fixture.store.recordAssets(
            brandID: brand, archiveID: archiveID,
            [
                AdAssetRecord(
                    asset: ScrapedAsset(kind: .image, sourceURL: "https://cdn.example/\(hash).jpg"),
                    state: .downloaded, contentHash: hash, contentType: "image/jpeg", byteCount: 3)
            ])
    }
}
