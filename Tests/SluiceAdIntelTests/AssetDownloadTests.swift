import Foundation
import Logging
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceFakes
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("asset_download end to end against the fake snapshots and CDN")
struct AssetDownloadTests {
    static func handlers(
        _ store: any JobAndAdStore, base: String, assets: URL, egress: EgressPolicy
    ) throws
        -> HandlerRegistry
    {
        let settings = MetaGraphSettings(baseURL: base, accessToken: "fake-token", snapshotBaseURL: base)
        var handlers = HandlerRegistry()
        handlers.register(
            "competitor_scrape",
            CompetitorScrapeHandler(
                store: store,
                adLibrary: AdLibraryClient(
                    settings: settings, retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50)))))
        handlers.register(
            "asset_download",
            AssetDownloadHandler(
                store: store, downloader: AssetDownloader(store: try AssetStore(root: assets), egress: egress),
                snapshots: AdSnapshotClient(settings: settings)))
        return handlers
    }

    /// Scrapes `pageID` (`maxAds` ads) and waits until every chained download has finished.
    static func scrapeAndDownload(
        _ backend: TestBackend, fake: FakeMetaServer, pageID: String, maxAds: Int, egress: EgressPolicy,
        _ check: @Sendable (any JobAndAdStore, UUID, URL) async throws -> Void
    ) async throws {
        let assets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: assets) }
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Rival"))
            let events = WorkerEventLog()
            let worker = try AdIntelFixture.worker(
                store, try handlers(store, base: base, assets: assets, egress: egress), id: "assets", events: events)
            try await withRunningServices([worker], logger: AdIntelFixture.quiet) {
                let scrape = try await store.insertJob(
                    JobRequest(
                        brandID: brand.id, jobType: "competitor_scrape",
                        parameters: [
                            "competitor_id": .string(rival.id.uuidString),
                            "ad_library_url": .string(
                                "https://www.facebook.com/ads/library/?country=US&search_type=page&active_status=all"
                                    + "&view_all_page_id=\(pageID)"),
                            "max_ads": .int(Int64(maxAds)),
                        ]))
                _ = try await events.settled(scrape.run!.id, in: store)
                // The downloads were enqueued in the transaction that recorded the scrape's success.
                let downloads = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 1000)).items
                #expect(downloads.count == maxAds)
                for download in downloads { _ = try await events.settled(download.id, in: store) }
                try await check(store, brand.id, assets)
            }
        }
    }

    @Test("creatives are downloaded once into the content-addressed store", arguments: TestBackend.allCases)
    func downloads(backend: TestBackend) async throws {
        try await Self.scrapeAndDownload(
            backend, fake: FakeMetaServer(), pageID: "345678", maxAds: 6, egress: EgressPolicy(allowsLoopback: true)
        ) { store, brand, assets in
            let runs = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 100)).items
            #expect(runs.count == 6 && runs.allSatisfy { $0.state == .succeeded })
            let ads = try await store.competitorAds(CompetitorAdQuery(brandID: brand, limit: 100)).items
            var hashes: Set<String> = []
            for ad in ads {
                let records = try await store.adAssets(brandID: brand, archiveID: ad.ad.archiveID)
                #expect(records.count == 1 && records[0].state == .downloaded)
                let record = try #require(records.first)
                let type = try #require(record.contentType)
                #expect(type == "image/png" || type == "video/mp4")
                let hash = try #require(record.contentHash)
                hashes.insert(hash)
                let file = try AssetStore(root: assets).url(
                    ofHash: hash, fileExtension: type == "video/mp4" ? "mp4" : "png")
                #expect(FileManager.default.fileExists(atPath: file.path))
            }
            #expect(hashes.count == 6)
            let freshness = try await SluiceClient(
                store: store, registry: AdIntelFixture.registry, datasets: AdIntelFixture.datasets
            ).freshness(brandID: brand)
            #expect(freshness.first { $0.dataset.name == "ad_assets" }?.state == .fresh)
        }
    }

    @Test("expired CDN URLs are marked expired, not retried", arguments: TestBackend.allCases)
    func expired(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        fake.expireCDNURLs()
        try await Self.scrapeAndDownload(
            backend, fake: fake, pageID: "345678", maxAds: 3, egress: EgressPolicy(allowsLoopback: true)
        ) { store, brand, _ in
            let runs = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 100)).items
            #expect(runs.allSatisfy { $0.state == .succeeded && $0.attempt == 1 })
            for ad in try await store.competitorAds(CompetitorAdQuery(brandID: brand)).items {
                let records = try await store.adAssets(brandID: brand, archiveID: ad.ad.archiveID)
                #expect(records.map(\.state) == [.expired] && records[0].error == "URL signature expired")
            }
        }
    }

    @Test(
        "creatives behind redirects to private addresses, or at them, are refused and never fetched",
        arguments: TestBackend.allCases)
    func refusesTraps(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        try await Self.scrapeAndDownload(
            backend, fake: fake, pageID: AdCorpus.trapPageID, maxAds: 3, egress: EgressPolicy(allowsLoopback: true)
        ) { store, brand, _ in
            var errors: [String] = []
            for ad in try await store.competitorAds(CompetitorAdQuery(brandID: brand)).items {
                let records = try await store.adAssets(brandID: brand, archiveID: ad.ad.archiveID)
                #expect(records.map(\.state) == [.refused])
                errors += records.compactMap(\.error)
            }
            #expect(errors.filter { $0.contains("169.254.169.254") }.count == 2)
            #expect(errors.contains { $0.contains("10.0.0.1") })
        }
    }

    @Test("the default policy refuses the loopback CDN itself", arguments: [TestBackend.sqlite])
    func defaultPolicyRefusesLoopback(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        try await Self.scrapeAndDownload(
            backend, fake: fake, pageID: "345678", maxAds: 2, egress: .publicOnly
        ) { store, brand, _ in
            for ad in try await store.competitorAds(CompetitorAdQuery(brandID: brand)).items {
                let records = try await store.adAssets(brandID: brand, archiveID: ad.ad.archiveID)
                #expect(records.map(\.state) == [.refused])
            }
            #expect(!fake.requests.contains { $0.path.hasPrefix("/cdn/") }, "the CDN was never contacted")
        }
    }
}
