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
