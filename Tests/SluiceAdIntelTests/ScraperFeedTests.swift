import Foundation
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceFakes
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("competitor_scrape through the scraper feed")
struct ScraperFeedTests {
    @Test(
        "the feed's items become the same ad records, with creatives that download without a snapshot",
        arguments: TestBackend.allCases)
    func scrapesThroughFeed(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        let assets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-feed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: assets) }
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            let feed = ScraperFeedClient(
                settings: ScraperFeedSettings(baseURL: base, token: FakeMetaServer.scraperToken),
                pollInterval: .milliseconds(20))
            var handlers = HandlerRegistry()
            handlers.register(
                "competitor_scrape", CompetitorScrapeHandler(store: store, source: .scraperFeed(feed)))
            handlers.register(
                "asset_download",
                AssetDownloadHandler(
                    store: store,
                    downloader: AssetDownloader(
                        store: try AssetStore(root: assets), egress: EgressPolicy(allowsLoopback: true)),
                    snapshots: AdSnapshotClient(settings: MetaGraphSettings(baseURL: base, accessToken: "unused"))))
            let worker = try AdIntelFixture.worker(store, handlers, id: "feed")
            let client = AdIntelFixture.client(store)
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Bean Bros"))
            let run = try await client.runDirectly(
                JobRequest(
                    brandID: brand.id, jobType: "competitor_scrape",
                    parameters: [
                        "competitor_id": .string(rival.id.uuidString),
                        "ad_library_url": .string(
                            "https://www.facebook.com/ads/library/?country=US&search_type=page&view_all_page_id=234567"
                        ),
                        "max_ads": .int(120),
                    ]), with: worker)
            #expect(run.state == .succeeded, "\(run.error ?? "")")
            #expect(run.result?["ads_new"] == .int(120))
            let ads = try await store.competitorAds(CompetitorAdQuery(brandID: brand.id, limit: 1000)).items
            #expect(ads.count == 120)
            #expect(
                ads.allSatisfy {
                    $0.ad.pageName == "Bean Bros" && $0.ad.assets.count == 1 && $0.ad.startedAt != nil
                })
            #expect(ads.allSatisfy { $0.ad.platforms.contains("facebook") && $0.ad.collationCount != nil })
            let logs = try await client.logs(runID: run.id).map(\.message)
            #expect(logs.contains { $0.contains("SUCCEEDED") })
            // A chained download uses the feed's creative URL directly.
            let download = try #require(
                try await store.listJobs(JobQuery(jobType: "asset_download", limit: 1)).items.first)
            let downloaded = try await worker.runNow(
                runID: try #require(
                    try await store.listRuns(RunQuery(jobID: download.id)).items.first
                ).id)
            #expect(downloaded?.state == .succeeded && downloaded?.rowsWritten == 1)
            #expect(!fake.requests.contains { $0.path.hasPrefix("/ads/archive/render_ad") })
        }
    }
}
