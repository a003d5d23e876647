import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let runLifecycleCases: [ConformanceCase] = [
        ConformanceCase("completing a run records its result and finishes its one-time job") { fixture in
            let inserted = try await fixture.enqueue()
            let run = try await fixture.claimOne()
            let beat = try await fixture.store.heartbeat(
                Heartbeat(lease: try fixture.lease(of: run), progress: 0.5, message: "halfway"))
            #expect(!beat.cancelRequested)
            #expect(try await fixture.store.run(id: run.id).progressMessage == "halfway")
            let done = try await fixture.store.completeRun(
                beat.lease, RunCompletion(result: ["ads_found": .int(312)], rowsWritten: 300))
            #expect(done.state == .succeeded && done.result == ["ads_found": .int(312)] && done.rowsWritten == 300)
            #expect(done.finishedAt == stored(fixture.clock.now()) && done.leaseExpiresAt == nil)
            #expect(try await fixture.store.job(id: inserted.job.id).status == .finished)
            await expectError(.invalidArgument, field: "rows_written") {
                try await fixture.store.completeRun(beat.lease, RunCompletion(rowsWritten: -1))
            }
        },
        ConformanceCase("a heartbeat extends the lease and validates progress") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne()
            fixture.clock.advance(by: .seconds(20))
            let beat = try await fixture.store.heartbeat(
                Heartbeat(lease: try fixture.lease(of: run), leaseDuration: .seconds(60)))
            #expect(beat.lease.expiresAt == stored(fixture.clock.now().addingTimeInterval(60)))
            #expect(try await fixture.store.run(id: run.id).leaseExpiresAt == beat.lease.expiresAt)
            await expectError(.invalidArgument, field: "progress") {
                try await fixture.store.heartbeat(Heartbeat(lease: beat.lease, progress: 1.5))
            }
            fixture.clock.advance(by: .seconds(45))
            #expect(try await fixture.store.rescueExpiredRuns(limit: 10).isEmpty)
        },
        ConformanceCase("a failure with attempts left retries at the given time, then fails terminally") { fixture in
            let inserted = try await fixture.enqueue("scrape", StoreFixture.scrapeParameters(UUID()))
            let first = try await fixture.claimOne(["scrape"])
            let retryAt = fixture.clock.now().addingTimeInterval(30)
            let retrying = try await fixture.store.failRun(
                try fixture.lease(of: first), RunFailure(error: "HTTP 500", retryAt: retryAt))
            #expect(
                retrying.state == .retrying && retrying.scheduledAt == stored(retryAt) && retrying.error == "HTTP 500")
            #expect(retrying.finishedAt == nil)
            #expect(try await fixture.claim(["scrape"]).isEmpty)
            fixture.clock.advance(by: .seconds(30))
            let second = try await fixture.claimOne(["scrape"])
            #expect(second.id == first.id && second.attempt == 2)
            let failed = try await fixture.store.failRun(
                try fixture.lease(of: second), RunFailure(error: "HTTP 500 again", retryAt: fixture.clock.now()))
            #expect(failed.state == .failed && failed.finishedAt != nil)
            #expect(try await fixture.store.job(id: inserted.job.id).status == .finished)
        },
        ConformanceCase("a success after a failed attempt clears its error and keeps the final progress message") {
            fixture in
            try await fixture.enqueue()
            let first = try await fixture.claimOne()
            _ = try await fixture.store.failRun(
                try fixture.lease(of: first), RunFailure(error: "HTTP 500", retryAt: fixture.clock.now()))
            let second = try await fixture.claimOne()
            let completed = try await fixture.store.completeRuns([
                CompletedRun(
                    lease: try fixture.lease(of: second), completion: RunCompletion(progressMessage: "saved 500 ads"))
            ])
            #expect(completed == [second.id])
            let run = try await fixture.store.run(id: second.id)
            #expect(run.state == .succeeded && run.attempt == 2 && run.error == nil)
            #expect(run.progressMessage == "saved 500 ads" && run.progress == 1)
            try await fixture.enqueue()
            let single = try await fixture.claimOne()
            let done = try await fixture.store.completeRun(
                try fixture.lease(of: single), RunCompletion(progressMessage: "done"))
            #expect(done.progressMessage == "done" && done.error == nil)
        },
        ConformanceCase("a timed-out attempt retries or ends timed_out") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne()
            let retrying = try await fixture.store.failRun(
                try fixture.lease(of: run),
                RunFailure(error: "timed out after 900 s", retryAt: fixture.clock.now(), timedOut: true))
            #expect(retrying.state == .retrying)
            let again = try await fixture.claimOne()
            let timedOut = try await fixture.store.failRun(
                try fixture.lease(of: again), RunFailure(error: "timed out", retryAt: nil, timedOut: true))
            #expect(timedOut.state == .timedOut && timedOut.attempt == 2)
        },
        ConformanceCase("cancelling a pending run ends it; a running run is asked; a finished run refuses") { fixture in
            let pending = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(600)))
            let cancelled = try await fixture.store.cancelRun(id: pending.run!.id)
            #expect(cancelled.state == .cancelled && cancelled.finishedAt != nil)
            #expect(try await fixture.store.job(id: pending.job.id).status == .finished)
            await expectError(.conflict, field: "state") { try await fixture.store.cancelRun(id: pending.run!.id) }
            try await fixture.enqueue()
            let running = try await fixture.claimOne()
            let asked = try await fixture.store.cancelRun(id: running.id)
            #expect(asked.state == .running && asked.cancelRequested)
            #expect(try await fixture.store.heartbeat(Heartbeat(lease: try fixture.lease(of: running))).cancelRequested)
            await expectError(.notFound) { try await fixture.store.cancelRun(id: 987_654) }
        },
        ConformanceCase("retrying a failed run queues it again with one more attempt allowed") { fixture in
            let inserted = try await fixture.enqueue()
            let run = try await fixture.claimOne()
            await expectError(.conflict, field: "state") { try await fixture.store.retryRun(id: run.id) }
            _ = try await fixture.store.failRun(try fixture.lease(of: run), RunFailure(error: "boom", retryAt: nil))
            let retried = try await fixture.store.retryRun(id: run.id)
            #expect(retried.state == .queued && retried.finishedAt == nil && retried.maxAttempts == 3)
            #expect(try await fixture.store.job(id: inserted.job.id).status == .active)
            #expect(try await fixture.claimOne().attempt == 2)
        },
        ConformanceCase("releasing a run queues it at once without counting the attempt") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne(worker: "stopping")
            let released = try await fixture.store.releaseRun(try fixture.lease(of: run))
            #expect(released.state == .queued && released.attempt == 0 && released.workerID == nil)
            let again = try await fixture.claimOne(worker: "other")
            #expect(again.id == run.id && again.attempt == 1 && again.workerID == "other")
        },
        ConformanceCase("a run released until a later time is not claimable before it, and its attempt is not counted")
        {
            fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne(worker: "waiting")
            let due = fixture.clock.now().addingTimeInterval(30)
            let released = try await fixture.store.releaseRun(
                try fixture.lease(of: run), dueAt: due, message: "waiting for rate limit meta_ad_render")
            #expect(released.state == .queued && released.attempt == 0 && released.workerID == nil)
            #expect(released.scheduledAt == stored(due))
            #expect(released.progressMessage == "waiting for rate limit meta_ad_render")
            #expect(try await fixture.store.nextDueTime(queues: ["default"], jobTypes: ["noop"]) == stored(due))
            fixture.clock.advance(by: .seconds(29))
            #expect(try await fixture.claim(limit: 10).isEmpty)
            fixture.clock.advance(by: .seconds(1))
            let again = try await fixture.claimOne(worker: "other")
            #expect(again.id == run.id && again.attempt == 1)
            // A time already past releases the run due now.
            let now = try await fixture.store.releaseRun(
                try fixture.lease(of: again), dueAt: fixture.clock.now().addingTimeInterval(-60), message: nil)
            #expect(now.scheduledAt == stored(fixture.clock.now()))
            #expect(now.progressMessage == nil)  // the claim cleared it, and nil keeps it
        },
        ConformanceCase("runs whose lease expired are rescued at once, counting the lost attempt") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne(worker: "dead")
            fixture.clock.advance(by: .seconds(29))
            #expect(try await fixture.store.rescueExpiredRuns(limit: 10).isEmpty)
            fixture.clock.advance(by: .seconds(1))
            let rescued = try await fixture.store.rescueExpiredRuns(limit: 10)
            #expect(rescued.map(\.id) == [run.id])
            #expect(rescued[0].state == .retrying && rescued[0].scheduledAt == run.scheduledAt)
            #expect(rescued[0].error?.contains("dead") == true && rescued[0].leaseExpiresAt == nil)
            // It keeps its place: a backlog that became due while it ran waits behind it.
            for _ in 0..<3 { try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(-10))) }
            let retried = try await fixture.claimOne()
            #expect(retried.id == run.id && retried.attempt == 2)
            fixture.clock.advance(by: .seconds(30))
            #expect(try await fixture.store.rescueExpiredRuns(limit: 10).first?.state == .retrying)
            #expect(try await fixture.claim(limit: 1).first?.attempt == 3)
            fixture.clock.advance(by: .seconds(30))
            let last = try await fixture.store.rescueExpiredRuns(limit: 10)
            #expect(last.first?.state == .failed && last.first?.attempt == 3 && last.first?.finishedAt != nil)
            await expectError(.invalidArgument, field: "limit") { try await fixture.store.rescueExpiredRuns(limit: 0) }
        },
        ConformanceCase("rescued runs of a concurrency-limited type take the freed slots before its backlog") {
            fixture in
            try await fixture.enqueue("limited")
            try await fixture.enqueue("limited")
            let lost = try await fixture.claim(["limited"], worker: "dead")
            #expect(lost.count == 2)
            for _ in 0..<5 { try await fixture.enqueue("limited") }
            #expect(try await fixture.claim(["limited"]).isEmpty)  // both slots are the dead worker's
            fixture.clock.advance(by: .seconds(30))
            #expect(Set(try await fixture.store.rescueExpiredRuns(limit: 10).map(\.id)) == Set(lost.map(\.id)))
            let next = try await fixture.claim(["limited"], worker: "live")
            #expect(Set(next.map(\.id)) == Set(lost.map(\.id)) && next.allSatisfy { $0.attempt == 2 })
        },
    ]
}
