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

@Suite("meta_sync end to end against the fake insights API")
struct MetaSyncTests {
    static func withSync(
        _ backend: TestBackend,
        _ body: @Sendable (FakeMetaServer, any JobAndAdStore, SluiceClient, Worker, Brand) async throws -> Void
    ) async throws {
        let fake = FakeMetaServer()
        try await AdIntelFixture.withFake(backend, fake: fake) { base, store, brand in
            var handlers = HandlerRegistry()
            handlers.register(
                "meta_sync",
                MetaSyncHandler(
                    store: store,
                    insights: InsightsClient(
                        settings: MetaGraphSettings(baseURL: base, accessToken: "fake-token"),
                        retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50)),
                        pollInterval: .milliseconds(20))))
            let worker = try AdIntelFixture.worker(store, handlers, id: "sync")
            try await body(fake, store, AdIntelFixture.client(store), worker, brand)
        }
    }

    static func sync(_ brand: Brand, days: Int) -> JobRequest {
        JobRequest(
            brandID: brand.id, jobType: "meta_sync",
            parameters: ["ad_account_id": .string("act_42"), "days": .int(Int64(days))])
    }

    @Test(
        "the trailing window is upserted from strings; revised recent days replace stored ones",
        arguments: TestBackend.allCases)
    func upsertsRevisedDays(backend: TestBackend) async throws {
        try await Self.withSync(backend) { fake, store, client, worker, brand in
            let first = try await client.runDirectly(Self.sync(brand, days: 28), with: worker)
            #expect(first.state == .succeeded, "\(first.error ?? "")")
            guard case .string(let since) = first.result?["since"], case .string(let until) = first.result?["until"],
                case .int(let rows) = first.result?["rows"]
            else {
                Issue.record("no result in \(String(describing: first.result))")
                return
            }
            let stored = try await store.insights(brandID: brand.id, since: since, until: until)
            #expect(
                stored.count == Int(rows) && rows > 100 && rows < 140, "5 ads × 28 days, zero-delivery days omitted")
            #expect(first.result?["inserted"] == .int(rows) && first.result?["updated"] == .int(0))
            #expect(stored.allSatisfy { $0.clicks == $0.impressions / 50 && $0.actions["link_click"] == $0.clicks })
            #expect(stored.allSatisfy { $0.spend > 0 && $0.adAccountID == "act_42" })
            let before = Dictionary(uniqueKeysWithValues: stored.map { ("\($0.adID)/\($0.date)", $0.impressions) })

            fake.reviseRecentDays(3)
            let second = try await client.runDirectly(Self.sync(brand, days: 28), with: worker)
            #expect(second.result?["inserted"] == .int(0) && second.result?["updated"] == .int(rows))
            let after = try await store.insights(brandID: brand.id, since: since, until: until)
            #expect(after.count == stored.count, "revisions never duplicate a day")
            let changed = after.filter { before["\($0.adID)/\($0.date)"] != $0.impressions }
            #expect(!changed.isEmpty && Set(changed.map(\.date)).count <= 3, "only the last 3 days were revised")
            #expect(!fake.requests.contains { $0.method == "POST" }, "28 days go synchronously")
            let freshness = try await client.freshness(brandID: brand.id)
            #expect(freshness.first { $0.dataset.name == "meta_ads_performance" }?.state == .fresh)

            // A day revised to no delivery disappears from the window: the re-pull replaces it, not only upserts.
            let withdrawn = try #require(after.map(\.date).sorted().dropLast().last)
            fake.withdrawDelivery(on: withdrawn)
            let third = try await client.runDirectly(Self.sync(brand, days: 28), with: worker)
            let dropped = after.filter { $0.date == withdrawn }.count
            #expect(
                third.state == .succeeded && third.result?["removed"] == .int(Int64(dropped)), "\(third.result ?? [:])")
            let final = try await store.insights(brandID: brand.id, since: since, until: until)
            #expect(final.count == after.count - dropped && !final.contains { $0.date == withdrawn })
        }
    }

    @Test("a range over 31 days goes through an asynchronous report run", arguments: TestBackend.allCases)
    func asyncReport(backend: TestBackend) async throws {
        try await Self.withSync(backend) { fake, store, client, worker, brand in
            let run = try await client.runDirectly(Self.sync(brand, days: 60), with: worker)
            #expect(run.state == .succeeded, "\(run.error ?? "")")
            guard case .int(let rows) = run.result?["rows"] else {
                Issue.record("no rows")
                return
            }
            #expect(rows > 230 && rows < 300, "5 ads × 60 days")
            let requests = fake.requests
            #expect(requests.filter { $0.method == "POST" }.count == 1)
            #expect(requests.filter { $0.path.hasSuffix("/9100000") }.count == 4, "polled until Job Completed")
            let logs = try await client.logs(runID: run.id).map(\.message)
            #expect(logs.contains { $0.contains("Job Completed (100%)") })
            #expect(
                try await store.insights(brandID: brand.id, since: "2000-01-01", until: "2100-01-01").count == Int(rows)
            )
        }
    }
}
