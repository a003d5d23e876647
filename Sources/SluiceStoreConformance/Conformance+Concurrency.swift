import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let concurrencyCases: [ConformanceCase] = [
        ConformanceCase("8 concurrent claimers over 10 000 queued runs claim every run exactly once", stores: 8) {
            fixture in
            let brand = ConformanceJobTypes.brandA
            var expected: Set<Int64> = []
            for _ in 0..<10 {
                let batch = try await fixture.store.insertJobs(
                    (0..<1000).map { _ in JobRequest(brandID: brand, jobType: "noop") })
                expected.formUnion(batch.compactMap(\.run?.id))
            }
            #expect(expected.count == 10_000)
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                if let other = fixture.claimInOtherProcess {
                    group.addTask { try await other("noop", 25) }
                }
                for index in fixture.stores.indices {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let runs = try await fixture.claim(limit: 25, worker: "claimer-\(index)", store: index)
                            if runs.isEmpty { return mine }
                            mine += runs.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claimed.flatMap { $0 }
            #expect(all.count == 10_000, "claimed \(all.count) times")
            #expect(Set(all) == expected)
            let running = try await fixture.store.listRuns(RunQuery(states: [.running], limit: 1000))
            #expect(running.items.allSatisfy { $0.attempt == 1 })
            #expect(try await fixture.claim(limit: 100).isEmpty)
        },
        ConformanceCase("8 tasks inserting the same unique job create exactly one", stores: 8) { fixture in
            let competitor = UUID()
            let results = try await withThrowingTaskGroup(of: InsertedJob.self) { group in
                for store in fixture.stores {
                    group.addTask {
                        try await store.insertJob(
                            JobRequest(
                                brandID: ConformanceJobTypes.brandA, jobType: "scrape",
                                parameters: StoreFixture.scrapeParameters(competitor)))
                    }
                }
                return try await group.reduce(into: [InsertedJob]()) { $0.append($1) }
            }
            #expect(results.filter { !$0.deduplicated }.count == 1)
            #expect(Set(results.map(\.job.id)).count == 1)
            #expect(try await fixture.allJobs().count == 1)
            #expect(try await fixture.store.listRuns(RunQuery()).items.count == 1)
        },
    ]
}
