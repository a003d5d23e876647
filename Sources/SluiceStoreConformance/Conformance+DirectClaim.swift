import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let directClaimCases: [ConformanceCase] = [
        ConformanceCase("a run is claimed by id once, due or not, unless its job is paused or it ended") { fixture in
            let store = fixture.store
            let later = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(3600)))
            let run = try #require(
                try await store.claimRun(id: later.run!.id, workerID: "direct", leaseDuration: .seconds(30)))
            #expect(run.state == .running && run.attempt == 1 && run.workerID == "direct")
            #expect(run.leaseExpiresAt == stored(fixture.clock.now().addingTimeInterval(30)))
            #expect(try await store.claimRun(id: run.id, workerID: "other", leaseDuration: .seconds(30)) == nil)
            #expect(try await fixture.claim().isEmpty, "a claimed run is not claimed again by the queue")
            _ = try await store.completeRun(try fixture.lease(of: run), RunCompletion())
            #expect(try await store.claimRun(id: run.id, workerID: "direct", leaseDuration: .seconds(30)) == nil)
            let paused = try await fixture.enqueue()
            _ = try await store.pauseJob(id: paused.job.id)
            #expect(
                try await store.claimRun(id: paused.run!.id, workerID: "direct", leaseDuration: .seconds(30)) == nil)
            #expect(try await store.claimRun(id: 999_999, workerID: "direct", leaseDuration: .seconds(30)) == nil)
            await expectError(.invalidArgument, field: "lease_duration") {
                try await store.claimRun(id: paused.run!.id, workerID: "direct", leaseDuration: .zero)
            }
        }
    ]
}
