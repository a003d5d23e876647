import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let claimCases: [ConformanceCase] = [
        ConformanceCase("claims take due runs by priority, then due time, up to the limit, with a lease") { fixture in
            let early = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(-60)))
            let normal = try await fixture.enqueue()
            let urgent = try await fixture.enqueue(priority: -5)
            let lowest = try await fixture.enqueue(priority: 9)
            _ = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(60)))
            let claimed = try await fixture.claim(limit: 3, worker: "w-a", lease: .seconds(45))
            #expect(claimed.map(\.id) == [urgent, early, normal].map(\.run?.id))
            for run in claimed {
                #expect(run.state == .running && run.attempt == 1 && run.workerID == "w-a")
                #expect(run.leaseExpiresAt == stored(fixture.clock.now().addingTimeInterval(45)))
                #expect(run.startedAt == stored(fixture.clock.now()))
            }
            #expect(try await fixture.claim(limit: 10).map(\.id) == [lowest.run?.id])
            #expect(try await fixture.claim(limit: 10).isEmpty)
            #expect(try await fixture.claim(limit: 0).isEmpty)
        },
        ConformanceCase("claims only take the worker's job types from the requested queues") { fixture in
            let noop = try await fixture.enqueue()
            let slow = try await fixture.enqueue("slow")
            #expect(try await fixture.claim(["slow"]).isEmpty)
            #expect(try await fixture.claim(["scrape"]).isEmpty)
            #expect(try await fixture.claim(["noop", "slow"], queues: ["slow"]).map(\.id) == [slow.run?.id])
            #expect(
                try await fixture.claim(["noop", "slow"], queues: ["default", "slow"]).map(\.id) == [noop.run?.id])
        },
        ConformanceCase("claim requests are validated") { fixture in
            let store = fixture.store
            await expectError(.invalidArgument, field: "limit") {
                try await store.claimRuns(ClaimRequest(workerID: "w", jobTypes: ["noop"], limit: -1))
            }
            await expectError(.invalidArgument, field: "worker_id") {
                try await store.claimRuns(ClaimRequest(workerID: "", jobTypes: ["noop"], limit: 1))
            }
            await expectError(.invalidArgument, field: "job_types") {
                try await store.claimRuns(ClaimRequest(workerID: "w", jobTypes: [], limit: 1))
            }
            await expectError(.unknownJobType, field: "job_types") {
                try await store.claimRuns(ClaimRequest(workerID: "w", jobTypes: ["ghost"], limit: 1))
            }
            await expectError(.invalidArgument, field: "lease_duration") {
                try await store.claimRuns(
                    ClaimRequest(workerID: "w", jobTypes: ["noop"], limit: 1, leaseDuration: .zero))
            }
        },
        ConformanceCase("a job type's concurrency limit holds across workers", stores: 2) { fixture in
            for _ in 0..<5 { try await fixture.enqueue("limited") }
            let first = try await fixture.claim(["limited"], limit: 1, worker: "a", store: 0)
            let second = try await fixture.claim(["limited"], limit: 5, worker: "b", store: 1)
            #expect(first.count == 1 && second.count == 1)
            #expect(try await fixture.claim(["limited"], limit: 5, worker: "c", store: 0).isEmpty)
            _ = try await fixture.stores[1].completeRun(try fixture.lease(of: second[0]), RunCompletion())
            #expect(try await fixture.claim(["limited"], limit: 5, worker: "c", store: 0).count == 1)
            let states = try await fixture.store.listRuns(RunQuery(jobType: "limited")).items.map(\.state)
            #expect(states.filter { $0 == .running }.count == 2)
        },
    ]
}
