import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    /// One-time jobs without a uniqueness key stored as their run alone (``JobsStoredAsRuns``).
    static let jobsStoredAsRunsCases: [ConformanceCase] = [
        ConformanceCase("a one-time job without a key is stored as its run alone and reads as a job before and after") {
            fixture in
            let alone = try await fixture.enqueue()
            let run = try #require(alone.run)
            #expect(run.id == alone.job.id && run.jobID == alone.job.id && !alone.deduplicated)
            let keyed = try await fixture.store.insertJob(
                JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop", uniqueKey: "one-row"))
            let recurring = try await fixture.enqueue(schedule: .cron("0 0 1 1 *", timeZone: "UTC"))
            #expect(try await fixture.runTables().jobRows == [keyed.job.id, recurring.job.id])
            let ids = [alone.job.id, keyed.job.id, try #require(keyed.run?.id), recurring.job.id]
            #expect(Set(ids).count == ids.count, "jobs and runs take their ids from one sequence")

            #expect(try await fixture.store.job(id: alone.job.id) == alone.job)
            #expect(try await fixture.store.run(id: run.id) == run)
            let active = try await fixture.store.listJobs(JobQuery(status: .active)).items.map(\.id)
            #expect(active == [recurring.job.id, keyed.job.id, alone.job.id])
            #expect(try await fixture.store.listJobs(JobQuery(recurring: true)).items.map(\.id) == [recurring.job.id])
            #expect(try await fixture.store.listJobs(JobQuery(status: .finished)).items.isEmpty)

            let claimed = try await fixture.claim(["noop"], limit: 2, worker: "worker-1")
            fixture.clock.advance(by: .seconds(5))
            let completed = try await fixture.store.completeRuns(
                try claimed.map { CompletedRun(lease: try fixture.lease(of: $0), completion: RunCompletion()) })
            #expect(completed.contains(run.id))
            let finished = try await fixture.store.job(id: alone.job.id)
            #expect(finished.status == .finished && finished.updatedAt == stored(fixture.clock.now()))
            #expect(finished.schedule == alone.job.schedule && finished.parameters == alone.job.parameters)
            #expect(try await fixture.store.listJobs(JobQuery(status: .finished)).items.map(\.id).contains(run.id))
            #expect(try await fixture.store.listJobs(JobQuery(status: .active)).items.map(\.id) == [recurring.job.id])
            #expect(
                try await fixture.runTables().jobRows == [keyed.job.id, recurring.job.id], "finishing wrote no job")
        },
        ConformanceCase("an operator's action gives a job stored as its run a row, and the job behaves as any other") {
            fixture in
            let later = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(3600)))
            #expect(try await fixture.store.pauseJob(id: later.job.id).status == .paused)
            #expect(try await fixture.store.run(id: later.job.id).scheduledAt == later.run?.scheduledAt)
            let resumed = try await fixture.store.resumeJob(id: later.job.id)
            #expect(resumed.status == .active && resumed.schedule == later.job.schedule)
            #expect(try await fixture.runTables().jobRows == [later.job.id])

            let running = try await fixture.enqueue()
            let claimed = try await fixture.claimOne()
            #expect(claimed.id == running.job.id)
            await expectError(.conflict, field: "status") { try await fixture.store.pauseJob(id: running.job.id) }
            await expectError(.conflict, field: "status") { try await fixture.store.deleteJob(id: running.job.id) }
            #expect(try await fixture.runTables().jobRows == [later.job.id], "a refused action leaves no row")
            #expect(try await fixture.store.cancelJob(id: running.job.id).status == .cancelled)
            _ = try await fixture.store.completeRun(try fixture.lease(of: claimed), RunCompletion())
            #expect(try await fixture.store.job(id: running.job.id).status == .cancelled)

            let failing = try await fixture.enqueue()
            let failed = try await fixture.store.failRun(
                try fixture.lease(of: try await fixture.claimOne()), RunFailure(error: "gone", retryAt: nil))
            #expect(failed.id == failing.job.id && failed.state == .failed)
            #expect(try await fixture.store.job(id: failing.job.id).status == .finished)
            #expect(try await fixture.store.retryRun(id: failed.id).state == .queued)
            #expect(try await fixture.store.job(id: failing.job.id).status == .active)
            let retried = try await fixture.claimOne()
            #expect(retried.id == failing.job.id)
            _ = try await fixture.store.completeRun(try fixture.lease(of: retried), RunCompletion())
            #expect(try await fixture.store.job(id: failing.job.id).status == .finished)

            let again = try await fixture.enqueue()
            _ = try await fixture.store.completeRun(
                try fixture.lease(of: try await fixture.claimOne()), RunCompletion())
            #expect(try await fixture.store.job(id: again.job.id).status == .finished)
            let rerun = try await fixture.store.runJobNow(id: again.job.id)
            #expect(rerun.jobID == again.job.id && rerun.id != again.job.id && rerun.state == .queued)
            #expect(try await fixture.store.job(id: again.job.id).status == .active)
            #expect(try await fixture.store.listRuns(RunQuery(jobID: again.job.id)).items.count == 2)

            let doomed = try await fixture.enqueue()
            try await fixture.store.deleteJob(id: doomed.job.id)
            await expectError(.notFound) { try await fixture.store.job(id: doomed.job.id) }
            await expectError(.notFound) { try await fixture.store.run(id: doomed.job.id) }
            await expectError(.notFound) { try await fixture.store.pauseJob(id: doomed.job.id) }
        },
        ConformanceCase(
            "a batch stores its keyless one-time jobs as runs, in order, or nothing when a brand is missing"
        ) {
            fixture in
            let brandA = ConformanceJobTypes.brandA
            let inserted = try await fixture.store.insertJobs(
                try fixture.validated([
                    JobRequest(brandID: brandA, jobType: "noop"),
                    JobRequest(brandID: brandA, jobType: "noop", uniqueKey: "batch-key"),
                    JobRequest(brandID: brandA, jobType: "noop", schedule: .cron("0 0 1 1 *", timeZone: "UTC")),
                    JobRequest(brandID: ConformanceJobTypes.brandB, jobType: "slow"),
                ]))
            #expect(inserted.map(\.job.jobType) == ["noop", "noop", "noop", "slow"])
            #expect(inserted[0].run?.id == inserted[0].job.id && inserted[3].run?.id == inserted[3].job.id)
            #expect(inserted[1].run?.id != inserted[1].job.id)
            #expect(try await fixture.runTables().jobRows == [inserted[1].job.id, inserted[2].job.id])
            for job in inserted { #expect(try await fixture.store.job(id: job.job.id) == job.job) }

            let before = try await fixture.runTables()
            await #expect(throws: BrandRules.missingReference) {
                try await fixture.store.insertJobs(
                    try fixture.validated([
                        JobRequest(brandID: brandA, jobType: "noop"), JobRequest(brandID: UUID(), jobType: "noop"),
                    ]))
            }
            await #expect(throws: BrandRules.missingReference) {
                try await fixture.store.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
            }
            #expect(try await fixture.runTables() == before, "nothing of a refused batch is written")

            try await fixture.store.deleteBrand(id: ConformanceJobTypes.brandB)
            await expectError(.notFound) { try await fixture.store.job(id: inserted[3].job.id) }
            #expect(try await fixture.runTables().queue == Set(inserted.prefix(3).compactMap(\.run?.id)))
        },
        ConformanceCase("job pages mix rows and jobs stored as runs, newest first, neither repeating nor skipping") {
            fixture in
            var ids: [Int64] = []
            for index in 0..<8 {
                let key = index.isMultiple(of: 3) ? "page-\(index)" : nil
                ids.append(
                    try await fixture.store.insertJob(
                        JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop", uniqueKey: key)
                    ).job.id)
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await fixture.store.listJobs(JobQuery(limit: 3, cursor: cursor))
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                // Jobs finish (their runs move to the history) between pages.
                if let run = try await fixture.claim(limit: 1).first {
                    _ = try await fixture.store.completeRun(try fixture.lease(of: run), RunCompletion())
                }
            } while cursor != nil
            #expect(seen == ids.reversed())
        },
    ]
}
