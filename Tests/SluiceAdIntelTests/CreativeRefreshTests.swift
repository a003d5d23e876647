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

/// Creatives whose signed URLs expired are fetched again by the next scrape (with fresh URLs), and a download run
/// after the URLs expired keeps what was already downloaded.
@Suite("Expired creatives come back")
struct CreativeRefreshTests {
    @Test("a re-scrape re-downloads expired creatives; a later manual run keeps them", arguments: TestBackend.allCases)
    func refresh(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        fake.expireCDNURLs()
        let assets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: assets) }
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Rival"))
            let handlers = try AssetDownloadTests.handlers(
                store, base: base, assets: assets, egress: EgressPolicy(allowsLoopback: true))
            let events = WorkerEventLog()
            let worker = try AdIntelFixture.worker(store, handlers, id: "refresh", events: events)
            try await withRunningServices([worker], logger: AdIntelFixture.quiet) {
                func states() async throws -> [[AdAssetRecord.State]] {
                    var states: [[AdAssetRecord.State]] = []
                    for ad in try await store.competitorAds(CompetitorAdQuery(brandID: brand.id)).items {
                        states.append(
                            try await store.adAssets(brandID: brand.id, archiveID: ad.ad.archiveID).map(\.state))
                    }
                    return states
                }
                try await Self.scrape(store, events, brand: brand.id, competitor: rival.id, downloads: 3)
                #expect(try await states().allSatisfy { $0 == [.expired] })

                fake.reset()  // the next scrape hands out fresh URLs
                try await Self.scrape(store, events, brand: brand.id, competitor: rival.id, downloads: 6)
                let refreshed = try await states()
                #expect(refreshed.count == 3 && refreshed.allSatisfy { $0.contains(.downloaded) }, "\(refreshed)")

                fake.expireCDNURLs()
                let ad = try #require(try await store.competitorAds(CompetitorAdQuery(brandID: brand.id)).items.first)
                let manual = try await store.insertJob(
                    JobRequest(
                        brandID: brand.id, jobType: "asset_download",
                        parameters: ["archive_id": .string(ad.ad.archiveID)]))
                let run = try await events.settled(try #require(manual.run).id, in: store)
                #expect(run.state == .succeeded && run.result?["kept"] == .int(1), "\(run.result ?? [:])")
                let records = try await store.adAssets(brandID: brand.id, archiveID: ad.ad.archiveID)
                #expect(records.contains { $0.state == .downloaded && $0.contentHash != nil })
            }
        }
    }

    /// Scrapes 3 ads of page 345678 and waits until `downloads` asset downloads in all have ended.
    static func scrape(
        _ store: any JobAndAdStore, _ events: WorkerEventLog, brand: UUID, competitor: UUID, downloads: Int
    ) async throws {
        let scrape = try await store.insertJob(
            JobRequest(
                brandID: brand, jobType: "competitor_scrape",
                parameters: [
                    "competitor_id": .string(competitor.uuidString),
                    "ad_library_url": .string(
                        "https://www.facebook.com/ads/library/?country=US&search_type=page&active_status=all"
                            + "&view_all_page_id=345678"),
                    "max_ads": 3,
                ]))
        let run = try await events.settled(try #require(scrape.run).id, in: store)
        #expect(run.state == .succeeded, "\(run.error ?? "")")
        // The downloads were enqueued in the transaction that recorded the scrape's success.
        let runs = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 1000)).items
        #expect(runs.count >= downloads)
        for download in runs { _ = try await events.settled(download.id, in: store) }
    }
}
