import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let jobControlCases: [ConformanceCase] = [
        ConformanceCase("a paused job's runs are not claimed until it is resumed") { fixture in
            let inserted = try await fixture.enqueue()
            #expect(try await fixture.store.pauseJob(id: inserted.job.id).status == .paused)
            #expect(try await fixture.claim().isEmpty)
            await expectError(.conflict, field: "status") { try await fixture.store.pauseJob(id: inserted.job.id) }
            await expectError(.conflict, field: "status") { try await fixture.store.runJobNow(id: inserted.job.id) }
            #expect(try await fixture.store.resumeJob(id: inserted.job.id).status == .active)
            await expectError(.conflict, field: "status") { try await fixture.store.resumeJob(id: inserted.job.id) }
            #expect(try await fixture.claim().map(\.id) == [inserted.run?.id])
            await expectError(.notFound) { try await fixture.store.pauseJob(id: 999_999) }
        },
        ConformanceCase("cancelling a job cancels its pending runs and asks its running run to stop") { fixture in
            let recurring = try await fixture.enqueue(schedule: .cron("* * * * *", timeZone: "UTC"))
            let manual = try await fixture.store.runJobNow(id: recurring.job.id)
            let running = try await fixture.claimOne()
            #expect(running.id == manual.id)
            let cancelled = try await fixture.store.cancelJob(id: recurring.job.id)
            #expect(cancelled.status == .cancelled)
            #expect(try await fixture.store.run(id: recurring.run!.id).state == .cancelled)
            let beat = try await fixture.store.heartbeat(Heartbeat(lease: try fixture.lease(of: running)))
            #expect(beat.cancelRequested)
            let finished = try await fixture.store.finishCancelledRun(beat.lease)
            #expect(finished.state == .cancelled && finished.finishedAt != nil)
            await expectError(.conflict, field: "status") { try await fixture.store.cancelJob(id: recurring.job.id) }
            #expect(try await fixture.store.job(id: recurring.job.id).status == .cancelled)
        },
        ConformanceCase("deleting a job removes its runs and logs but not while it runs") { fixture in
            let inserted = try await fixture.enqueue()
            let running = try await fixture.claimOne()
            try await fixture.store.appendLogs(
                try fixture.lease(of: running), [NewLogLine(at: fixture.clock.now(), "hello")])
            await expectError(.conflict, field: "status") { try await fixture.store.deleteJob(id: inserted.job.id) }
            _ = try await fixture.store.completeRun(try fixture.lease(of: running), RunCompletion())
            try await fixture.store.deleteJob(id: inserted.job.id)
            await expectError(.notFound) { try await fixture.store.job(id: inserted.job.id) }
            await expectError(.notFound) { try await fixture.store.run(id: running.id) }
            await expectError(.notFound) { try await fixture.store.logs(LogQuery(runID: running.id)) }
            await expectError(.notFound) { try await fixture.store.deleteJob(id: inserted.job.id) }
        },
        ConformanceCase("run now makes a future run due, adds a run to a recurring job, and reruns a finished job") {
            fixture in
            let later = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(86_400)))
            let moved = try await fixture.store.runJobNow(id: later.job.id)
            #expect(moved.id == later.run?.id && moved.scheduledAt == stored(fixture.clock.now()))
            let running = try await fixture.claimOne()
            await expectError(.conflict, field: "status") { try await fixture.store.runJobNow(id: later.job.id) }
            _ = try await fixture.store.completeRun(try fixture.lease(of: running), RunCompletion())
            #expect(try await fixture.store.job(id: later.job.id).status == .finished)
            let rerun = try await fixture.store.runJobNow(id: later.job.id)
            #expect(rerun.id != running.id && rerun.state == .queued)
            #expect(try await fixture.store.job(id: later.job.id).status == .active)

            let recurring = try await fixture.enqueue(schedule: .cron("0 0 1 1 *", timeZone: "UTC"))
            let manual = try await fixture.store.runJobNow(id: recurring.job.id)
            #expect(manual.id != recurring.run?.id && manual.fireTime == nil)
            #expect(manual.scheduledAt == stored(fixture.clock.now()))
            #expect(try await fixture.store.listRuns(RunQuery(jobID: recurring.job.id)).items.count == 2)
        },
    ]
}
