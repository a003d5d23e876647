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

/// Issue 19's starvation scenario, scaled down: a scrape chains a download per ad that each render a snapshot under the
/// render limiter, and a second scrape comes while they wait. Time runs `speedUp` times faster than with the shipped
/// defaults: every limiter's rate is multiplied by it and the downloads' longest held wait divided by it, so the
/// waits are the shipped ones in proportion.
@Suite("Rate limits that do not starve: two scrapes and their downloads, shipped limits sped up")
struct RenderStarvationTests {
    static let speedUp = 100.0
    /// Ads per scrape: 100 (one page), not the issue's 500, so that the 200 renders and downloads do not starve the
    /// suites running beside this one on a loaded 2-core machine (500 per scrape did, in CI).
    static let ads = 100

    @Test(
        "both scrapes and all their downloads complete on their first attempt, and none times out or fails",
        arguments: TestBackend.allCases)
    func scrapesAndDownloadsComplete(backend: TestBackend) async throws {
        let assets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: assets) }
        let fake = FakeMetaServer(
            corpus: AdCorpus(pages: [
                (id: "111111", name: "Rival One", count: Self.ads), (id: "222222", name: "Rival Two", count: Self.ads),
            ]))
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            for limiter in AdIntelCatalog.rateLimiters {
                try await store.configureRateLimiter(
                    RateLimiterSettings(
                        name: limiter.name, ratePerSecond: limiter.ratePerSecond * Self.speedUp, burst: limiter.burst))
            }
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
                    store: store,
                    downloader: AssetDownloader(
                        store: try AssetStore(root: assets), egress: EgressPolicy(allowsLoopback: true)),
                    snapshots: AdSnapshotClient(settings: settings), longestTokenWait: .seconds(2 / Self.speedUp)))
            let events = WorkerEventLog()
            let worker = try AdIntelFixture.worker(store, handlers, id: "starvation", events: events)
            @Sendable func scrape(_ pageID: String) async throws -> Int64 {
                let rival = try await store.createCompetitor(
                    CompetitorRequest(brandID: brand.id, name: "Rival \(pageID)"))
                let job = try await store.insertJob(
                    JobRequest(
                        brandID: brand.id, jobType: "competitor_scrape",
                        parameters: [
                            "competitor_id": .string(rival.id.uuidString),
                            "ad_library_url": .string(
                                "https://www.facebook.com/ads/library/?country=US&search_type=page&active_status=all"
                                    + "&view_all_page_id=\(pageID)"),
                            "max_ads": .int(Int64(Self.ads)),
                        ]))
                return try #require(job.run?.id)
            }
            try await withRunningServices([worker], logger: AdIntelFixture.quiet) {
                let first = try await scrape("111111")
                #expect(try await events.settled(first, in: store).state == .succeeded)
                // The second scrape comes while the first one's downloads wait for render tokens.
                let second = try await scrape("222222")
                let secondRun = try await events.settled(second, in: store)
                #expect(secondRun.state == .succeeded && secondRun.attempt == 1, "\(secondRun.error ?? "")")
                #expect(secondRun.result?["ads_new"] == .int(Int64(Self.ads)))
                let downloads = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 1000)).items
                #expect(downloads.count == 2 * Self.ads)
                // A deferred download ends an attempt without settling (its next execution is attempt 1 again), so
                // the store is read until every download has settled.
                let deadline = ContinuousClock.now.advanced(by: .seconds(600))
                var settled: [Run] = []
                while ContinuousClock.now < deadline {
                    settled = try await store.listRuns(RunQuery(jobType: "asset_download", limit: 1000)).items
                    if settled.allSatisfy(\.state.isTerminal) { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(settled.count == 2 * Self.ads)
                for run in settled {
                    #expect(run.state == .succeeded && run.attempt == 1, "run \(run.id): \(run.error ?? "")")
                }
                let endings = events.events.compactMap { event -> AttemptEnding? in
                    if case .ended(_, _, let ending, _) = event { ending } else { nil }
                }
                // Whether downloads had to give their slots back depends on the machine's speed against the sped-up
                // render rate (a slow machine always finds a token): the deferral itself is tested exactly in
                // PipelineTests, "a run that would wait long for a rate-limit token frees its slot".
                #expect(!endings.contains(.timedOut) && !endings.contains(.failed))
                let rendered = try await store.competitorAds(CompetitorAdQuery(brandID: brand.id, limit: 1000)).items
                #expect(rendered.count == 2 * Self.ads)
            }
        }
    }
}
