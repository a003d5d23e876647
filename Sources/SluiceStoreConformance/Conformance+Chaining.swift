import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let chainingCases: [ConformanceCase] = [
        ConformanceCase("follow-up jobs are created with the completion, and never without it") { fixture in
            let brand = ConformanceJobTypes.brandA
            try await fixture.enqueue()
            try await fixture.enqueue()
            let runs = try await fixture.claim(limit: 2)
            let followUps = try fixture.validated([
                JobRequest(brandID: brand, jobType: "slow"),
                JobRequest(brandID: brand, jobType: "scrape", parameters: StoreFixture.scrapeParameters(UUID())),
            ])
            let limited = try fixture.validated([JobRequest(brandID: brand, jobType: "limited")])
            _ = try await fixture.store.completeRun(
                try fixture.lease(of: runs[0]), RunCompletion(result: ["ads_found": .int(2)], followUps: followUps))
            #expect(try await fixture.store.listJobs(JobQuery(jobType: "slow")).items.count == 1)
            #expect(try await fixture.store.listJobs(JobQuery(jobType: "scrape")).items.count == 1)
            #expect(try await fixture.claim(["slow"], queues: ["slow"]).count == 1)
            // A completion refused for a lost lease creates nothing.
            let stale = RunLease(
                runID: runs[1].id, workerID: "not-the-holder", attempt: 1, expiresAt: runs[1].leaseExpiresAt!)
            await expectError(.leaseLost) {
                try await fixture.store.completeRun(
                    stale, RunCompletion(followUps: limited))
            }
            let batch = try await fixture.store.completeRuns([
                CompletedRun(
                    lease: stale, completion: RunCompletion(followUps: limited)
                )
            ])
            #expect(batch.isEmpty)
            #expect(try await fixture.store.listJobs(JobQuery(jobType: "limited")).items.isEmpty)
            // In a batch, each held completion brings its own follow-ups.
            let done = try await fixture.store.completeRuns([
                CompletedRun(
                    lease: try fixture.lease(of: runs[1]),
                    completion: RunCompletion(followUps: limited))
            ])
            #expect(done == [runs[1].id])
            #expect(try await fixture.store.listJobs(JobQuery(jobType: "limited")).items.count == 1)
        },
        ConformanceCase(
            "a follow-up of another job type of the same name is refused with its field; the run stays running"
        ) {
            fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne()
            let impostor = try JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop").validated(
                against: try JobTypeRegistry([JobType(name: "noop", label: "Another no-op")]), now: fixture.clock.now())
            await expectError(.unknownJobType, field: "follow_ups[0].job_type") {
                try await fixture.store.completeRun(try fixture.lease(of: run), RunCompletion(followUps: [impostor]))
            }
            #expect(try await fixture.store.run(id: run.id).state == .running)
            #expect(try await fixture.allJobs().count == 1)
        },
    ]
}
