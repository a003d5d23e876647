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

@Suite("competitor_scrape end to end against the fake Ad Library")
struct CompetitorScrapeTests {
    static let rivalURL =
        "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
        + "&media_type=all&search_type=page&view_all_page_id=123456&sort_data[mode]=relevancy_monthly_grouped"

    struct Setup: Sendable {
        let store: any JobAndAdStore
        let client: SluiceClient
        let worker: Worker
        let events: WorkerEventLog
        let brand: Brand
        let rival: Competitor
    }

    static func withSetup(
        _ backend: TestBackend, fake: FakeMetaServer, _ body: @Sendable (Setup) async throws -> Void
    ) async throws {
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            var handlers = HandlerRegistry()
            handlers.register(
                "competitor_scrape",
                CompetitorScrapeHandler(
                    store: store,
                    adLibrary: AdLibraryClient(
                        settings: MetaGraphSettings(baseURL: base, accessToken: "fake-token"),
                        retryPolicy: RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(50), jitter: 0))))
            let events = WorkerEventLog()
            let worker = try AdIntelFixture.worker(store, handlers, id: "scraper", events: events)
            let rival = try await store.createCompetitor(
                CompetitorRequest(brandID: brand.id, name: "Rival Coffee", pageID: "123456", adLibraryURL: rivalURL))
            try await body(
                Setup(
                    store: store, client: AdIntelFixture.client(store), worker: worker, events: events, brand: brand,
                    rival: rival))
        }
    }

    static func scrape(_ setup: Setup, maxAds: Int = 500) -> JobRequest {
        JobRequest(
            brandID: setup.brand.id, jobType: "competitor_scrape",
            parameters: [
                "competitor_id": .string(setup.rival.id.uuidString), "ad_library_url": .string(rivalURL),
                "max_ads": .int(Int64(maxAds)),
            ])
    }

    @Test(
        "a 500-ad scrape over several pages, throttled midway, saves each ad once; a re-scrape duplicates none",
        arguments: TestBackend.allCases)
    func scrapesAndRescrapes(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        fake.fail(next: 1, with: .throttle(code: 613), afterCalls: 2)
        try await Self.withSetup(backend, fake: fake) { setup in
            try await withRunningServices([setup.worker], logger: AdIntelFixture.quiet) {
                let first = try await setup.client.enqueue(Self.scrape(setup))
                let run = try await setup.events.settled(first.run!.id, in: setup.store)
                #expect(run.state == .succeeded, "\(run.error ?? "")")
                #expect(
                    run.result == [
                        "ads_found": .int(500), "ads_new": .int(500), "ads_updated": .int(0), "complete": .bool(true),
                    ])
                #expect(
                    run.progressMessage == "found 500 ads: 500 new, 0 updated", "the final message, not a stale one")
                #expect(run.rowsWritten == 500 && run.progress == 1)
                let ads = try await setup.store.competitorAds(
                    CompetitorAdQuery(brandID: setup.brand.id, competitorID: setup.rival.id, limit: 1000))
                #expect(ads.items.count == 500 && Set(ads.items.map(\.ad.archiveID)).count == 500)
                #expect(ads.items.allSatisfy { $0.ad.pageName == "Rival Coffee" && $0.ad.libraryURL.contains("?id=") })
                let downloads = try await setup.store.listJobs(JobQuery(jobType: "asset_download", limit: 1000))
                #expect(downloads.items.count == 500, "one asset_download per new ad, chained with the success")
                // Claimed in id order: the creatives of the ads the dashboard lists first are downloaded first.
                let queued = try await setup.store.listRuns(RunQuery(jobType: "asset_download", limit: 1000)).items
                #expect(
                    queued.sorted { $0.id < $1.id }.map { $0.parameters["archive_id"] }
                        == ads.items.map { .string($0.ad.archiveID) })
                let freshness = try await setup.client.freshness(brandID: setup.brand.id)
                let ads_ = try #require(freshness.first { $0.dataset.name == "competitor_ads" })
                #expect(ads_.state == .fresh && ads_.record?.rowsWritten == 500)
                let logs = try await setup.client.logs(runID: run.id).map(\.message)
                #expect(logs.contains { $0.contains("ignored Ad Library URL parameters") })
                #expect(logs.contains { $0.contains("Meta API error 613") }, "the throttle is in the run's log")
                #expect(fake.requests.allSatisfy { $0.query["access_token"] == nil })

                let second = try await setup.client.enqueue(Self.scrape(setup))
                let again = try await setup.events.settled(second.run!.id, in: setup.store)
                #expect(
                    again.result == [
                        "ads_found": .int(500), "ads_new": .int(0), "ads_updated": .int(500), "complete": .bool(true),
                    ])
                let total = try await setup.store.competitorAds(
                    CompetitorAdQuery(brandID: setup.brand.id, limit: 1000))
                #expect(total.items.count == 500)
                #expect(
                    try await setup.store.listJobs(JobQuery(jobType: "asset_download", limit: 1000)).items.count == 500)
            }
        }
    }

    @Test(
        "a scrape that stops short on empty pages still claiming more says so in its result, progress and log",
        arguments: TestBackend.allCases)
    func stopsShort(backend: TestBackend) async throws {
        let fake = FakeMetaServer()
        fake.fail(next: 10, with: .emptyPageWithCursor, afterCalls: 1)
        try await Self.withSetup(backend, fake: fake) { setup in
            try await withRunningServices([setup.worker], logger: AdIntelFixture.quiet) {
                let inserted = try await setup.client.enqueue(Self.scrape(setup))
                let run = try await setup.events.settled(inserted.run!.id, in: setup.store)
                #expect(run.state == .succeeded, "\(run.error ?? "")")
                let result = try #require(run.result)
                #expect(result["complete"] == .bool(false))
                guard case .string(let reason) = result["incomplete_reason"], case .int(let found) = result["ads_found"]
                else {
                    Issue.record("no incomplete_reason or ads_found in \(run.result)")
                    return
                }
                #expect(reason.contains("empty pages") && found > 0 && found < 500)
                #expect(
                    run.progressMessage?.hasSuffix("stopped short of 500: incomplete") == true,
                    "\(run.progressMessage ?? "no progress message")")
                let warnings = try await setup.store.logs(LogQuery(runID: run.id)).filter { $0.level == .warning }
                #expect(warnings.contains { $0.message.hasPrefix("stopped short of 500 ads: the Ad Library answered") })
            }
        }
    }

    @Test("bad scrape parameters are refused at enqueue time with the field named", arguments: TestBackend.allCases)
    func refusesBadParameters(backend: TestBackend) async throws {
        try await Self.withSetup(backend, fake: FakeMetaServer()) { setup in
            let otherBrand = try await setup.store.createBrand(name: "Other")
            let foreign = try await setup.store.createCompetitor(
                CompetitorRequest(brandID: otherBrand.id, name: "Theirs"))
            func refusal(_ change: (inout JobRequest) -> Void) async throws -> SluiceError {
                var request = Self.scrape(setup)
                change(&request)
                let captured = request
                return try await #require(throws: SluiceError.self) { try await setup.client.enqueue(captured) }
            }
            let unknown = try await refusal { $0.parameters["competitor_id"] = .string(UUID().uuidString) }
            #expect(unknown.code == .notFound && unknown.field == "parameters.competitor_id")
            let theirs = try await refusal { $0.parameters["competitor_id"] = .string(foreign.id.uuidString) }
            #expect(theirs.code == .notFound && theirs.field == "parameters.competitor_id")
            #expect(theirs.message.contains("no such competitor"), "another brand's competitor reads as missing")
            let notLibrary = try await refusal { $0.parameters["ad_library_url"] = .string("https://example.com/ads") }
            #expect(notLibrary.field == "parameters.ad_library_url")
            let noCountry = try await refusal {
                $0.parameters["ad_library_url"] = .string(
                    "https://www.facebook.com/ads/library/?search_type=page&view_all_page_id=1")
            }
            #expect(noCountry.field == "parameters.ad_library_url" && noCountry.message.contains("country"))
            for bad in [0, 10_000] {
                let error = try await refusal { $0.parameters["max_ads"] = .int(Int64(bad)) }
                #expect(error.problems.map(\.field) == ["parameters.max_ads"])
            }
            #expect(try await setup.store.listJobs(JobQuery()).items.isEmpty, "nothing was enqueued")
        }
    }

    @Test("a token the API refuses fails the run at once with a clear message", arguments: TestBackend.allCases)
    func refusedToken(backend: TestBackend) async throws {
        let fake = FakeMetaServer(validTokens: ["another-token"])
        try await Self.withSetup(backend, fake: fake) { setup in
            try await withRunningServices([setup.worker], logger: AdIntelFixture.quiet) {
                let inserted = try await setup.client.enqueue(Self.scrape(setup, maxAds: 10))
                let run = try await setup.events.settled(inserted.run!.id, in: setup.store)
                #expect(run.state == .failed && run.attempt == 1, "not retried")
                #expect(run.error?.contains("Meta API error 190") == true)
                #expect(run.error?.contains("access token") == true)
                #expect(fake.requests.count == 1)
            }
        }
    }
}
