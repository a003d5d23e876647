import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static func worker(_ id: String, startedAt: Date) -> WorkerInfo {
        WorkerInfo(id: id, host: "test-host", pid: 4242, queues: ["default"], concurrency: 8, startedAt: startedAt)
    }

    static let workerCases: [ConformanceCase] = [
        ConformanceCase("one worker heartbeat renews every lease it holds and reports cancellations") { fixture in
            for _ in 0..<4 { try await fixture.enqueue() }
            let mine = try await fixture.claim(limit: 2, worker: "w-1")
            let theirs = try await fixture.claim(limit: 1, worker: "w-2")
            // Held by w-1 in the database but not executed by it (say, the claim's answer was lost): not renewed.
            let orphan = try await fixture.claim(limit: 1, worker: "w-1")
            _ = try await fixture.store.cancelRun(id: mine[1].id)
            fixture.clock.advance(by: .seconds(20))
            let info = StoreConformance.worker("w-1", startedAt: fixture.clock.now())
            let beat = try await fixture.store.heartbeatWorker(
                WorkerHeartbeat(
                    worker: info, leaseDuration: .seconds(30), leases: try mine.map { try fixture.lease(of: $0) },
                    progress: [
                        RunProgress(runID: mine[0].id, fraction: 0.25, message: "page 2"),
                        RunProgress(runID: theirs[0].id, fraction: 0.9, message: "not mine"),
                    ]))
            #expect(Set(beat.leases.map(\.runID)) == Set(mine.map(\.id)))
            #expect(beat.leases.allSatisfy { $0.expiresAt == stored(fixture.clock.now().addingTimeInterval(30)) })
            #expect(beat.cancelRequested == [mine[1].id])
            #expect(try await fixture.store.run(id: mine[0].id).progressMessage == "page 2")
            #expect(try await fixture.store.run(id: theirs[0].id).progress == nil)
            fixture.clock.advance(by: .seconds(15))
            let rescued = try await fixture.store.rescueExpiredRuns(limit: 10)
            #expect(Set(rescued.map(\.id)) == [theirs[0].id, orphan[0].id])
            let records = try await fixture.store.workers(seenSince: fixture.clock.now().addingTimeInterval(-60))
            #expect(
                records.map(\.info.id) == ["w-1"] && records[0].running == 2 && records[0].info.queues == ["default"])
            await expectError(.invalidArgument, field: "progress") {
                try await fixture.store.heartbeatWorker(
                    WorkerHeartbeat(
                        worker: info, leaseDuration: .seconds(30), leases: [],
                        progress: [RunProgress(runID: 1, fraction: 2, message: "")]))
            }
        },
        ConformanceCase("a heartbeat does not revive an expired lease, and a stopped worker is forgotten") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne(worker: "w-late")
            fixture.clock.advance(by: .seconds(31))
            let info = StoreConformance.worker("w-late", startedAt: fixture.clock.now())
            let beat = try await fixture.store.heartbeatWorker(
                WorkerHeartbeat(worker: info, leaseDuration: .seconds(30), leases: [try fixture.lease(of: run)]))
            #expect(beat.leases.isEmpty)
            #expect(try await fixture.store.rescueExpiredRuns(limit: 10).map(\.id) == [run.id])
            try await fixture.store.removeWorker(id: "w-late")
            #expect(try await fixture.store.workers(seenSince: .distantPast).isEmpty)
        },
        ConformanceCase("a batch of completions records each run whose lease is held and skips the rest") { fixture in
            let inserted = try await fixture.store.insertJobs(
                (0..<4).map { _ in JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop") })
            let runs = try await fixture.claim(limit: 4)
            let stale = RunLease(
                runID: runs[3].id, workerID: "someone-else", attempt: 1, expiresAt: runs[3].leaseExpiresAt!)
            let items =
                try runs.prefix(3).map {
                    CompletedRun(
                        lease: try fixture.lease(of: $0),
                        completion: RunCompletion(result: ["n": .int($0.id)], rowsWritten: 7))
                } + [CompletedRun(lease: stale, completion: RunCompletion())]
            let completed = try await fixture.store.completeRuns(items)
            #expect(completed == Set(runs.prefix(3).map(\.id)))
            for run in runs.prefix(3) {
                let stored = try await fixture.store.run(id: run.id)
                #expect(stored.state == .succeeded && stored.rowsWritten == 7 && stored.result == ["n": .int(run.id)])
            }
            #expect(try await fixture.store.run(id: runs[3].id).state == .running)
            for job in inserted.prefix(3) { #expect(try await fixture.store.job(id: job.job.id).status == .finished) }
            #expect(try await fixture.store.completeRuns([]).isEmpty)
            await expectError(.invalidArgument, field: "rows_written") {
                try await fixture.store.completeRuns([
                    CompletedRun(lease: stale, completion: RunCompletion(rowsWritten: -2))
                ])
            }
        },
        ConformanceCase("completing and claiming in one call frees the completed runs' concurrency for the claim") {
            fixture in
            for _ in 0..<3 { try await fixture.enqueue("limited") }
            let running = try await fixture.claim(["limited"], limit: 5)
            #expect(running.count == 2)
            let stale = RunLease(
                runID: running[1].id, workerID: "someone-else", attempt: 1, expiresAt: running[1].leaseExpiresAt!)
            let request = ClaimRequest(workerID: "w-b", jobTypes: ["limited"], limit: 5, leaseDuration: .seconds(20))
            let result = try await fixture.store.completeRuns(
                [
                    CompletedRun(lease: try fixture.lease(of: running[0]), completion: RunCompletion()),
                    CompletedRun(lease: stale, completion: RunCompletion()),
                ], thenClaiming: request)
            #expect(result.completed == [running[0].id])
            #expect(try await fixture.store.run(id: running[0].id).state == .succeeded)
            // One slot of the limit of 2 was freed: the third run is claimed, under the new worker's lease.
            #expect(result.claimed.count == 1)
            let claimed = try #require(result.claimed.first)
            #expect(!running.map(\.id).contains(claimed.id))
            #expect(claimed.state == .running && claimed.workerID == "w-b" && claimed.attempt == 1)
            #expect(claimed.leaseExpiresAt == stored(fixture.clock.now().addingTimeInterval(20)))
            let nothing = try await fixture.store.completeRuns(
                [], thenClaiming: ClaimRequest(workerID: "w-b", jobTypes: ["noop"], limit: 0))
            #expect(nothing.completed.isEmpty && nothing.claimed.isEmpty)
            await expectError(.invalidArgument, field: "limit") {
                try await fixture.store.completeRuns(
                    [CompletedRun(lease: try fixture.lease(of: claimed), completion: RunCompletion())],
                    thenClaiming: ClaimRequest(workerID: "w-b", jobTypes: ["noop"], limit: -1))
            }
            // A refused request writes nothing: the claimed run is still running.
            #expect(try await fixture.store.run(id: claimed.id).state == .running)
        },
        ConformanceCase("the next due time is the earliest pending run of the worker's types") { fixture in
            let store = fixture.store
            #expect(try await store.nextDueTime(queues: ["default"], jobTypes: ["noop"]) == nil)
            let later = fixture.clock.now().addingTimeInterval(90)
            try await fixture.enqueue(schedule: .at(later))
            try await fixture.enqueue(schedule: .at(later.addingTimeInterval(30)))
            try await fixture.enqueue("slow", schedule: .at(later.addingTimeInterval(-60)))
            #expect(try await store.nextDueTime(queues: ["default"], jobTypes: ["noop"]) == stored(later))
            #expect(
                try await store.nextDueTime(queues: ["default", "slow"], jobTypes: ["noop", "slow"])
                    == stored(later.addingTimeInterval(-60)))
            #expect(try await store.nextDueTime(queues: ["slow"], jobTypes: ["noop"]) == nil)
        },
    ]
}
