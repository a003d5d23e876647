import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let datasetCases: [ConformanceCase] = [
        ConformanceCase("dataset refresh events give the freshness state per brand") { fixture in
            let brand = ConformanceJobTypes.brandA
            let policy = try FreshnessPolicy(warnAfter: .seconds(3600), failAfter: .seconds(7200))
            let store = fixture.store
            #expect(try await store.datasetRecord(brandID: brand, dataset: "competitor_ads") == nil)
            #expect(policy.state(of: nil, at: fixture.clock.now()) == .unknown)
            try await store.recordDatasetEvent(
                DatasetEvent(brandID: brand, dataset: "competitor_ads", runID: 1, outcome: .attemptStarted))
            var record = try await store.datasetRecord(brandID: brand, dataset: "competitor_ads")
            #expect(record?.lastAttemptAt == stored(fixture.clock.now()) && record?.lastSuccessAt == nil)
            #expect(policy.state(of: record, refreshing: true, at: fixture.clock.now()) == .refreshing)
            #expect(policy.state(of: record, at: fixture.clock.now()) == .unknown)
            fixture.clock.advance(by: .seconds(5))
            try await store.recordDatasetEvent(
                DatasetEvent(brandID: brand, dataset: "competitor_ads", runID: 1, outcome: .succeeded(rowsWritten: 300))
            )
            record = try await store.datasetRecord(brandID: brand, dataset: "competitor_ads")
            #expect(record?.rowsWritten == 300 && record?.lastRunID == 1)
            #expect(record?.lastSuccessAt == stored(fixture.clock.now()))
            #expect(policy.state(of: record, at: fixture.clock.now()) == .fresh)
            #expect(policy.state(of: record, at: fixture.clock.now().addingTimeInterval(3601)) == .stale)
            #expect(policy.state(of: record, at: fixture.clock.now().addingTimeInterval(7201)) == .failing)
            fixture.clock.advance(by: .seconds(60))
            try await store.recordDatasetEvent(
                DatasetEvent(brandID: brand, dataset: "competitor_ads", runID: 2, outcome: .attemptStarted))
            fixture.clock.advance(by: .seconds(5))
            try await store.recordDatasetEvent(
                DatasetEvent(
                    brandID: brand, dataset: "competitor_ads", runID: 2, outcome: .failed(error: "HTTP 400 code 613")))
            record = try await store.datasetRecord(brandID: brand, dataset: "competitor_ads")
            #expect(policy.state(of: record, at: fixture.clock.now()) == .failing)
            #expect(record?.lastError == "HTTP 400 code 613" && record?.rowsWritten == 300 && record?.lastRunID == 2)
            try await store.recordDatasetEvent(
                DatasetEvent(
                    brandID: ConformanceJobTypes.brandB, dataset: "ad_assets", runID: 3, outcome: .attemptStarted))
            #expect(try await store.datasetRecords(brandID: nil).count == 2)
            #expect(try await store.datasetRecords(brandID: brand).map(\.dataset) == ["competitor_ads"])
            await expectError(.invalidArgument, field: "dataset") {
                try await store.recordDatasetEvent(
                    DatasetEvent(brandID: brand, dataset: "Bad Name", runID: 1, outcome: .attemptStarted))
            }
            await expectError(.invalidArgument, field: "rows_written") {
                try await store.recordDatasetEvent(
                    DatasetEvent(
                        brandID: brand, dataset: "competitor_ads", runID: 1, outcome: .succeeded(rowsWritten: -1)))
            }
            #expect(try await store.datasetRecords(brandID: nil).count == 2)
        }
    ]

    static let leaseCases: [ConformanceCase] = [
        ConformanceCase("a leader lease has one holder until it expires or is released", stores: 2) {
            (fixture: StoreFixture) async throws in
            let a = fixture.stores[0]
            let b = fixture.stores[1]
            #expect(try await a.acquireLease(.scheduler("node-a")) == true)
            #expect(try await b.acquireLease(.scheduler("node-b")) == false)
            #expect(try await b.leaseHolder(name: "scheduler") == "node-a")
            fixture.clock.advance(by: .seconds(10))
            #expect(try await a.acquireLease(.scheduler("node-a")) == true)
            fixture.clock.advance(by: .seconds(10))
            #expect(try await b.acquireLease(.scheduler("node-b")) == false)
            fixture.clock.advance(by: .seconds(5))
            #expect(try await a.leaseHolder(name: "scheduler") == nil)
            #expect(try await b.acquireLease(.scheduler("node-b")) == true)
            #expect(try await a.releaseLease(name: "scheduler", holder: "node-a") == false)
            #expect(try await b.releaseLease(name: "scheduler", holder: "node-b") == true)
            #expect(try await a.acquireLease(.scheduler("node-a")) == true)
            await expectError(.invalidArgument, field: "ttl") {
                try await a.acquireLease(LeaderLeaseRequest(name: "scheduler", holder: "x", ttl: .seconds(-1)))
            }
        }
    ]

    static let pruneCases: [ConformanceCase] = [
        ConformanceCase("pruning deletes old finished runs with their logs in bounded batches") { fixture in
            let brand = ConformanceJobTypes.brandA
            let old = try await fixture.store.insertJobs(
                (0..<7).map { _ in JobRequest(brandID: brand, jobType: "noop") })
            for run in try await fixture.claim(limit: 7) {
                try await fixture.store.appendLogs(
                    try fixture.lease(of: run), [NewLogLine(at: fixture.clock.now(), "x")])
                _ = try await fixture.store.completeRun(try fixture.lease(of: run), RunCompletion())
            }
            fixture.clock.advance(by: .seconds(86_400))
            let active = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(3600)))
            let recentJob = try await fixture.enqueue()
            let recent = try await fixture.claimOne()
            #expect(recent.id == recentJob.run?.id)
            _ = try await fixture.store.completeRun(try fixture.lease(of: recent), RunCompletion())
            let cutoff = fixture.clock.now().addingTimeInterval(-3600)
            let first = try await fixture.store.prune(PruneRequest(finishedBefore: cutoff, batchSize: 5))
            #expect(first.runsDeleted == 5 && first.logLinesDeleted == 5 && !first.isComplete)
            let second = try await fixture.store.prune(PruneRequest(finishedBefore: cutoff, batchSize: 5))
            #expect(second.runsDeleted == 2 && second.logLinesDeleted == 2 && second.isComplete)
            #expect(first.jobsDeleted + second.jobsDeleted == 7)
            for job in old { await expectError(.notFound) { try await fixture.store.job(id: job.job.id) } }
            #expect(try await fixture.store.job(id: active.job.id).status == .active)
            #expect(try await fixture.store.run(id: recent.id).state == .succeeded)
            #expect(try await fixture.store.job(id: recentJob.job.id).status == .finished)
            await expectError(.invalidArgument, field: "batch_size") {
                try await fixture.store.prune(PruneRequest(finishedBefore: cutoff, batchSize: 0))
            }
        }
    ]
}

extension LeaderLeaseRequest {
    fileprivate static func scheduler(_ holder: String) -> LeaderLeaseRequest {
        LeaderLeaseRequest(name: "scheduler", holder: holder, ttl: .seconds(15))
    }
}
