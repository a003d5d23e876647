import Foundation
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceServer

/// The Pipeline Manager's chart data is read at most once per lifetime per brand scope.
@Suite("Outcome chart cache")
struct OutcomeCacheTests {
    @Test("a reading is reused within its lifetime, per brand scope, and read again after it")
    func lifetime() async throws {
        try await ServerFixture.with { fixture in
            let finish = { (account: String) in
                _ = try await fixture.client.enqueue(
                    JobRequest(
                        brandID: fixture.brandA.id, jobType: "meta_sync",
                        parameters: ["ad_account_id": .string(account)]))
                let run = try #require(
                    try await fixture.store.claimRuns(ClaimRequest(workerID: "w", jobTypes: ["meta_sync"], limit: 1))
                        .first)
                _ = try await fixture.store.completeRun(try #require(run.lease), RunCompletion(rowsWritten: 1))
            }
            let total = { (buckets: [RunOutcomeBucket]) in buckets.map(\.succeeded).reduce(0, +) }
            let cache = OutcomeCache()
            let now = Date()
            let since = now.addingTimeInterval(-3600)
            try await finish("act_1")
            let first = try await cache.buckets(since: since, brandID: nil, now: now, client: fixture.client)
            #expect(total(first) == 1)
            try await finish("act_2")
            let cached = try await cache.buckets(
                since: since, brandID: nil, now: now.addingTimeInterval(10), client: fixture.client)
            #expect(total(cached) == 1, "within its lifetime the reading is reused")
            let brandB = try await cache.buckets(
                since: since, brandID: fixture.brandB.id, now: now.addingTimeInterval(10), client: fixture.client)
            #expect(total(brandB) == 0)
            let reread = try await cache.buckets(
                since: since, brandID: nil, now: now.addingTimeInterval(OutcomeCache.lifetime + 1),
                client: fixture.client)
            #expect(total(reread) == 2)
        }
    }
}

/// The charts place 5-minute buckets: one per bar of the hour chart, twelve summed per bar of the day chart.
@Suite("Outcome charts")
struct OutcomeChartTests {
    @Test("an hour of 5-minute buckets fills the hour chart's 12 bars and one bar of the day chart")
    func bucketsAddUp() {
        let hour = Date(timeIntervalSince1970: 1_796_018_400)  // a whole hour
        let buckets = (0..<12).map { index in
            RunOutcomeBucket(start: hour.addingTimeInterval(Double(index * 300)), succeeded: index + 1, failed: 1)
        }
        let titles = { (chart: [String: Any]) in
            (chart["bars"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        }
        let hourChart = DashboardCharts.outcomes(buckets, title: "h", since: hour, bucketSeconds: 300, buckets: 12)
        let hourBars = titles(hourChart)
        #expect(hourBars.count == 12)
        for (index, title) in hourBars.enumerated() {
            #expect(title.hasSuffix(": \(index + 1) succeeded, 1 failed"), "\(title)")
        }
        let dayChart = DashboardCharts.outcomes(
            buckets, title: "d", since: hour.addingTimeInterval(-23 * 3600), bucketSeconds: 3600, buckets: 24)
        let dayBars = titles(dayChart)
        #expect(dayBars.count == 24)
        #expect(dayBars.last?.hasSuffix(": 78 succeeded, 12 failed") == true, "\(dayBars.last ?? "")")
        #expect(dayBars.dropLast().allSatisfy { $0.hasSuffix(": 0 succeeded, 0 failed") })
        #expect(dayChart["succeeded"] as? Int == 78 && hourChart["failed"] as? Int == 12)
    }
}
