import Foundation
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceFakes
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("The seed's flow over the API alone, with live events")
struct SeedFlowTests {
    static func scrapeWorker(_ store: any JobAndAdStore, base: String) throws -> Worker {
        var handlers = HandlerRegistry()
        handlers.register(
            "competitor_scrape",
            CompetitorScrapeHandler(
                store: store,
                adLibrary: AdLibraryClient(settings: MetaGraphSettings(baseURL: base, accessToken: "fake-token"))))
        return try Worker(
            store: store, registry: ServerFixture.registry, handlers: handlers,
            configuration: WorkerConfiguration(
                id: "api-test-worker", concurrency: 4, leaseDuration: .seconds(10), pollInterval: .milliseconds(50)),
            logger: ServerFixture.quiet)
    }

    @Test(
        "create a brand and a competitor, queue a scrape, watch it over SSE, list the competitor's last runs; direct mode",
        arguments: TestBackend.allCases)
    func seedFlow(_ backend: TestBackend) async throws {
        try await FakeMetaServer().serve { base in
            try await ServerFixture.with(backend, directWorker: { try Self.scrapeWorker($0, base: base) }) { fixture in
                try await fixture.client.configureRateLimiter(
                    RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 1000, burst: 100))
                let worker = try Self.scrapeWorker(fixture.store, base: base)
                try await LiveServer.run(fixture, services: [worker]) { server in
                    try await Self.walkThrough(server)
                }
            }
        }
    }

    static func walkThrough(_ server: LiveServer) async throws {
        let brand = try await server.call(.POST, "/api/v1/brands", as: "operator", json: ["name": "Acme Coffee"])
        #expect(brand.status == 201)
        let brandID = try #require(brand.json["id"]?.stringValue)
        let competitor = try await server.call(
            .POST, "/api/v1/brands/\(brandID)/competitors", as: "operator",
            json: [
                "name": "Rival Roasters", "page_id": "123456", "ad_library_url": .string(ServerFixture.rivalURL),
            ])
        #expect(competitor.status == 201)
        let competitorID = try #require(competitor.json["id"]?.stringValue)
        let events = try await server.events("brand_id=\(brandID)", as: "viewer")
        let created = try await server.call(
            .POST, "/api/v1/jobs", as: "operator",
            json: [
                "brand_id": .string(brandID), "job_type": "competitor_scrape",
                "parameters": [
                    "competitor_id": .string(competitorID), "ad_library_url": .string(ServerFixture.rivalURL),
                    "max_ads": 60, "download_assets": false,
                ],
            ])
        #expect(created.status == 201)
        let runID = try #require(created.json["run_id"]?.intValue)
        var states: [String] = []
        var logLines = 0
        var sawFreshness = false
        for try await event in events {
            switch event.type {
            case "run.state":
                let run = try #require(event.body["run"]?.objectValue)
                guard run["id"] == .int(runID), let state = run["state"]?.stringValue else { continue }
                if states.last != state { states.append(state) }
            case "run.log":
                if event.body["log"]?.objectValue?["run_id"] == .int(runID) { logLines += 1 }
            case "dataset.freshness":
                let freshness = event.body["freshness"]?.objectValue
                if freshness?["dataset"] == .string("competitor_ads") && freshness?["state"] == .string("fresh") {
                    sawFreshness = true
                }
            default: break
            }
            if states.last == "succeeded" && logLines > 0 && sawFreshness { break }
        }
        // The feed reports each run's state as of each look, so a fast step may be folded into the next one.
        #expect(states.last == "succeeded" && ["queued", "running", "succeeded"].filter(states.contains) == states)
        #expect(logLines > 0 && sawFreshness)

        let runs = try await server.call(
            .GET, "/api/v1/runs?competitor_id=\(competitorID)&limit=5&with_log_summary=true", as: "viewer")
        let items = runs.json["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(items.map { $0["id"] } == [.int(runID)])
        #expect(items.first?["state"] == .string("succeeded") && items.first?["rows_written"] == .int(60))
        #expect(items.first?["log_summary"]?.stringValue?.contains("line") == true)
        let ads = try await server.call(.GET, "/api/v1/competitors/\(competitorID)/ads?limit=100", as: "viewer")
        #expect(ads.json["items"]?.arrayValue?.count == 60)

        let direct = try await server.call(
            .POST, "/api/v1/jobs", as: "operator",
            json: [
                "brand_id": .string(brandID), "job_type": "competitor_scrape", "mode": "direct",
                "parameters": [
                    "competitor_id": .string(competitorID), "ad_library_url": .string(ServerFixture.rivalURL),
                    "max_ads": 80, "download_assets": false,
                ],
            ])
        #expect(direct.status == 201)
        let finished = try #require(direct.json["run"]?.objectValue)
        #expect(finished["state"] == .string("succeeded") && finished["rows_written"] == .int(80))
        #expect(finished["log_summary"]?.stringValue?.isEmpty == false)
    }

    @Test("on PostgreSQL, one node's events show what another node does")
    func eventsCrossNodes() async throws {
        try await ServerFixture.with(.postgres, stores: 2) { fixture in
            try await LiveServer.run(fixture) { server in
                var events = try await server.events("brand_id=\(fixture.brandA.id.lower)", as: "viewer")
                    .makeAsyncIterator()
                // The second store stands for another node: its own connections to the same database.
                let otherNode = fixture.stores[1]
                let inserted = try await otherNode.insertJob(
                    JobRequest(brandID: fixture.brandA.id, jobType: "meta_sync", parameters: ["ad_account_id": "a1"]))
                let runID = try #require(inserted.run?.id)
                #expect(try await nextEvent(&events, "run.state")?["run"]?.objectValue?["state"] == .string("queued"))
                let run = try #require(
                    try await otherNode.claimRun(id: runID, workerID: "node-2", leaseDuration: .seconds(30)))
                #expect(try await nextEvent(&events, "run.state")?["run"]?.objectValue?["state"] == .string("running"))
                try await otherNode.appendLogs(try #require(run.lease), [NewLogLine(at: Date(), "pulled 28 days")])
                let log = try await nextEvent(&events, "run.log")
                #expect(log?["log"]?.objectValue?["message"] == .string("pulled 28 days"))
                _ = try await otherNode.completeRun(try #require(run.lease), RunCompletion(rowsWritten: 12))
                let done = try await nextEvent(&events, "run.state")?["run"]?.objectValue
                #expect(done?["state"] == .string("succeeded") && done?["rows_written"] == .int(12))
            }
        }
    }

    /// The body of the next event of `type`, skipping others; nil when the stream ends.
    private func nextEvent(
        _ events: inout AsyncThrowingStream<(type: String, body: JSONObject), any Error>.Iterator, _ type: String
    ) async throws -> JSONObject? {
        while let event = try await events.next() {
            if event.type == type { return event.body }
        }
        return nil
    }
}
