import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let fencingCases: [ConformanceCase] = [
        ConformanceCase("a worker whose lease expired can no longer heartbeat, log, complete or fail") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne(worker: "stalled")
            let lease = try fixture.lease(of: run)
            fixture.clock.advance(by: .seconds(31))
            let store = fixture.store
            await expectError(.leaseLost, field: "lease") { try await store.heartbeat(Heartbeat(lease: lease)) }
            await expectError(.leaseLost) {
                try await store.appendLogs(lease, [NewLogLine(at: fixture.clock.now(), "late")])
            }
            await expectError(.leaseLost) { try await store.completeRun(lease, RunCompletion()) }
            await expectError(.leaseLost) { try await store.failRun(lease, RunFailure(error: "x", retryAt: nil)) }
            await expectError(.leaseLost) { try await store.releaseRun(lease) }
            await expectError(.leaseLost) { try await store.finishCancelledRun(lease) }
            #expect(try await store.run(id: run.id).state == .running)
        },
        ConformanceCase("after a rescue and a new claim only the new lease is honoured") { fixture in
            try await fixture.enqueue()
            let first = try await fixture.claimOne(worker: "old")
            let oldLease = try fixture.lease(of: first)
            fixture.clock.advance(by: .seconds(30))
            _ = try await fixture.store.rescueExpiredRuns(limit: 10)
            fixture.clock.advance(by: .seconds(10))
            let second = try await fixture.claimOne(worker: "new")
            #expect(second.id == first.id && second.attempt == 2)
            await expectError(.leaseLost) { try await fixture.store.completeRun(oldLease, RunCompletion()) }
            let forged = RunLease(runID: second.id, workerID: "old", attempt: 2, expiresAt: second.leaseExpiresAt!)
            await expectError(.leaseLost) { try await fixture.store.completeRun(forged, RunCompletion()) }
            let done = try await fixture.store.completeRun(try fixture.lease(of: second), RunCompletion())
            #expect(done.state == .succeeded && done.workerID == "new")
            await expectError(.leaseLost) {
                try await fixture.store.completeRun(try fixture.lease(of: second), RunCompletion())
            }
        },
    ]
}
