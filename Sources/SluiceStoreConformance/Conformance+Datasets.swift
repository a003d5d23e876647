import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let datasetSettingsCases: [ConformanceCase] = [
        ConformanceCase("a brand's dataset settings are saved, replaced, listed and removed") { fixture in
            let store = fixture.store
            let brand = ConformanceJobTypes.brandA
            let deadline = FreshnessPolicy(
                deadline: try CronDeadline(cron: "0 10 * * *", timeZone: "Europe/Berlin", lookback: .seconds(3600)))
            let first = DatasetOverride(
                brandID: brand, dataset: "competitor_ads", policy: deadline, autoRefresh: true,
                parameters: ["max_ads": .int(50), "ad_library_url": .string("https://www.facebook.com/ads/library/")])
            try await store.saveDatasetOverride(first)
            try await store.saveDatasetOverride(
                DatasetOverride(brandID: ConformanceJobTypes.brandB, dataset: "ad_assets"))
            #expect(try await store.datasetOverrides(brandID: brand) == [first])
            #expect(try await store.datasetOverrides(brandID: nil).count == 2)
            let replaced = DatasetOverride(
                brandID: brand, dataset: "competitor_ads", policy: try FreshnessPolicy(warnAfter: .seconds(60)),
                autoRefresh: false)
            try await store.saveDatasetOverride(replaced)
            #expect(try await store.datasetOverrides(brandID: brand) == [replaced])
            #expect(try await store.deleteDatasetOverride(brandID: brand, dataset: "competitor_ads"))
            #expect(try await !store.deleteDatasetOverride(brandID: brand, dataset: "competitor_ads"))
            #expect(try await store.datasetOverrides(brandID: brand).isEmpty)
            await expectError(.invalidArgument, field: "dataset") {
                try await store.saveDatasetOverride(DatasetOverride(brandID: brand, dataset: "Not Valid"))
            }
        },
        ConformanceCase("finished refreshes make a history per brand and dataset, newest first, in pages") { fixture in
            let store = fixture.store
            let brand = ConformanceJobTypes.brandA
            func record(_ run: Int64, _ outcome: DatasetEvent.Outcome, brand: UUID = brand) async throws {
                try await store.recordDatasetEvent(
                    DatasetEvent(brandID: brand, dataset: "competitor_ads", runID: run, outcome: .attemptStarted))
                fixture.clock.advance(by: .seconds(1))
                try await store.recordDatasetEvent(
                    DatasetEvent(brandID: brand, dataset: "competitor_ads", runID: run, outcome: outcome))
            }
            try await record(1, .succeeded(rowsWritten: 120))
            try await record(2, .failed(error: "HTTP 500"))
            try await record(3, .succeeded(rowsWritten: 7))
            try await record(4, .succeeded(rowsWritten: 1), brand: ConformanceJobTypes.brandB)
            let history = try await store.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "competitor_ads"))
            #expect(history.map(\.runID) == [3, 2, 1])
            #expect(history.map(\.outcome) == [.succeeded, .failed, .succeeded])
            #expect(history.map(\.rowsWritten) == [7, nil, 120])
            #expect(history[1].error == "HTTP 500")
            #expect(history[0].finishedAt == stored(fixture.clock.now().addingTimeInterval(-1)))
            let page = try await store.datasetHistory(
                DatasetHistoryQuery(brandID: brand, dataset: "competitor_ads", before: history[0].id, limit: 1))
            #expect(page.map(\.runID) == [2])
            await expectError(.invalidArgument, field: "limit") {
                try await store.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "competitor_ads", limit: 0))
            }
        },
    ]

    static let datasetOutcomeCases: [ConformanceCase] = [
        ConformanceCase("a producing run's end is recorded in its dataset by the transaction that ends it") { fixture in
            let store = fixture.store
            let brand = ConformanceJobTypes.brandA
            func record() async throws -> DatasetRefreshRecord? {
                try await store.datasetRecord(brandID: brand, dataset: "competitor_ads")
            }
            // A batch of two successes of one brand's dataset: the later run is the record's.
            try await fixture.enqueueScrape()
            try await fixture.enqueueScrape()
            let batch = try await fixture.claim(["scrape"], limit: 2)
            let completed = try await store.completeRuns(
                try batch.enumerated().map { index, run in
                    CompletedRun(
                        lease: try fixture.lease(of: run), completion: RunCompletion(rowsWritten: Int64(index + 5)))
                })
            #expect(completed.count == 2)
            let last = try #require(batch.max { $0.id < $1.id })
            #expect(try await record()?.lastRunID == last.id)
            #expect(try await record()?.lastSuccessAt == stored(fixture.clock.now()))
            // One success through completeRun, rows absent: 0.
            fixture.clock.advance(by: .seconds(1))
            try await fixture.enqueueScrape()
            let single = try await fixture.claimOne(["scrape"])
            _ = try await store.completeRun(try fixture.lease(of: single), RunCompletion())
            let afterSingle = try await record()
            #expect(afterSingle?.rowsWritten == 0 && afterSingle?.lastRunID == single.id)
            // A failure that will be retried is not a refresh; the terminal one is.
            fixture.clock.advance(by: .seconds(1))
            try await fixture.enqueueScrape()
            let failing = try await fixture.claimOne(["scrape"])
            let retrying = try await store.failRun(
                try fixture.lease(of: failing),
                RunFailure(error: "HTTP 500", retryAt: fixture.clock.now().addingTimeInterval(30)))
            #expect(retrying.state == .retrying)
            #expect(try await record()?.lastFailureAt == nil)
            fixture.clock.advance(by: .seconds(30))
            let second = try await fixture.claimOne(["scrape"])
            _ = try await store.failRun(
                try fixture.lease(of: second), RunFailure(error: "HTTP 400 code 613", retryAt: nil))
            let failed = try #require(try await record())
            #expect(
                failed.lastError == "HTTP 400 code 613" && failed.lastRunID == second.id && failed.lastAttemptFailed)
            // A run whose worker died with no attempts left fails in the rescue, and so does its refresh.
            fixture.clock.advance(by: .seconds(1))
            try await fixture.enqueueScrape(brand: ConformanceJobTypes.brandB)
            let abandoned = try await fixture.claim(["scrape"], limit: 1, lease: .seconds(5))
            fixture.clock.advance(by: .seconds(6))
            _ = try await store.rescueExpiredRuns(limit: 10)  // first attempt: retried
            fixture.clock.advance(by: .seconds(1))
            _ = try await fixture.claim(["scrape"], limit: 1, lease: .seconds(5))
            fixture.clock.advance(by: .seconds(6))
            let rescued = try await store.rescueExpiredRuns(limit: 10)
            #expect(rescued.map(\.state) == [.failed] && rescued[0].id == abandoned[0].id)
            let rescuedRecord = try #require(
                try await store.datasetRecord(brandID: ConformanceJobTypes.brandB, dataset: "competitor_ads"))
            #expect(rescuedRecord.lastAttemptFailed && rescuedRecord.lastError?.hasPrefix("lease expired") == true)
            // Cancelled runs and runs of job types without a dataset record nothing.
            try await fixture.enqueue()
            _ = try await store.completeRun(try fixture.lease(of: try await fixture.claimOne()), RunCompletion())
            #expect(try await store.datasetRecords(brandID: nil).count == 2)
            let history = try await store.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "competitor_ads"))
            #expect(history.map(\.outcome) == [.failed, .succeeded, .succeeded, .succeeded])
            #expect(history.map(\.rowsWritten) == [nil, 0, 6, 5])
        }
    ]

    static let rateLimiterCases: [ConformanceCase] = [
        ConformanceCase(
            "a limiter gives waiting runs turns one token's interval apart, shared by every store", stores: 2
        ) {
            (fixture: StoreFixture) async throws in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            try await a.configureRateLimiter(RateLimiterSettings(name: "meta_ad_render", ratePerSecond: 2, burst: 1))
            let now = fixture.clock.now()
            #expect(try await a.takeRateLimitTurn(limiter: "meta_ad_render", after: .seconds(1)) == stored(now + 1))
            #expect(try await b.takeRateLimitTurn(limiter: "meta_ad_render", after: .seconds(1)) == stored(now + 1.5))
            #expect(try await a.takeRateLimitTurn(limiter: "meta_ad_render", after: .zero) == stored(now + 2))
            // A wait past the turns already given starts a new line there.
            #expect(try await b.takeRateLimitTurn(limiter: "meta_ad_render", after: .seconds(10)) == stored(now + 10))
            #expect(try await a.takeRateLimitTurn(limiter: "meta_ad_render", after: .seconds(1)) == stored(now + 10.5))
            await expectError(.notFound, field: "limiter") {
                try await a.takeRateLimitTurn(limiter: "missing", after: .seconds(1))
            }
        },
        ConformanceCase("a token bucket grants its burst, then one token per 1/rate, shared by every store", stores: 2)
        {
            (fixture: StoreFixture) async throws in
            let (a, b) = (fixture.stores[0], fixture.stores[1])
            try await a.configureRateLimiter(RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 2, burst: 3))
            for store in [a, b, a] {
                #expect(try await store.acquireRateLimitToken(limiter: "meta_ad_library") == .granted)
            }
            #expect(try await b.acquireRateLimitToken(limiter: "meta_ad_library") == .retryAfter(.milliseconds(500)))
            fixture.clock.advance(by: .milliseconds(250))
            #expect(try await a.acquireRateLimitToken(limiter: "meta_ad_library") == .retryAfter(.milliseconds(250)))
            fixture.clock.advance(by: .milliseconds(250))
            #expect(try await b.acquireRateLimitToken(limiter: "meta_ad_library") == .granted)
            #expect(try await a.acquireRateLimitToken(limiter: "meta_ad_library") == .retryAfter(.milliseconds(500)))
            fixture.clock.advance(by: .seconds(3600))  // refills only up to the burst
            let state = try await a.rateLimiters()
            #expect(state.map(\.settings.name) == ["meta_ad_library"] && state[0].tokens == 3)
            // Lowering the burst caps the tokens in the bucket.
            try await b.configureRateLimiter(RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 2, burst: 1))
            #expect(try await a.acquireRateLimitToken(limiter: "meta_ad_library") == .granted)
            #expect(try await a.acquireRateLimitToken(limiter: "meta_ad_library") == .retryAfter(.milliseconds(500)))
        },
        ConformanceCase("rate limiter settings and names are validated") { (fixture: StoreFixture) async throws in
            let store = fixture.store
            await expectError(.notFound, field: "limiter") {
                try await store.acquireRateLimitToken(limiter: "missing")
            }
            await expectError(.invalidArgument, field: "rate_per_second") {
                try await store.configureRateLimiter(RateLimiterSettings(name: "x", ratePerSecond: 0, burst: 1))
            }
            await expectError(.invalidArgument, field: "rate_per_second") {
                try await store.configureRateLimiter(RateLimiterSettings(name: "x", ratePerSecond: .nan, burst: 1))
            }
            await expectError(.invalidArgument, field: "burst") {
                try await store.configureRateLimiter(RateLimiterSettings(name: "x", ratePerSecond: 1, burst: 0))
            }
            await expectError(.invalidArgument, field: "name") {
                try await store.configureRateLimiter(RateLimiterSettings(name: "Bad Name", ratePerSecond: 1, burst: 1))
            }
            #expect(try await store.rateLimiters().isEmpty)
        },
        ConformanceCase("concurrent token requests from many stores never grant more than the bucket holds", stores: 3)
        { (fixture: StoreFixture) async throws in
            try await fixture.store.configureRateLimiter(
                RateLimiterSettings(name: "shared", ratePerSecond: 1, burst: 10))
            let granted = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in fixture.stores {
                    group.addTask {
                        var granted = 0
                        for _ in 0..<10 where try await store.acquireRateLimitToken(limiter: "shared") == .granted {
                            granted += 1
                        }
                        return granted
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(granted == 10)
        },
    ]
}
