import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    /// Storage model v2: unfinished runs in the queue table, finished ones in the history table, one run model read
    /// across both.
    static let runTableCases: [ConformanceCase] = [
        ConformanceCase("a run stays in the queue table until it finishes, moves to the history, and back on retry") {
            fixture in
            let succeeding = try await fixture.enqueue()
            let failing = try await fixture.enqueue("scrape", StoreFixture.scrapeParameters(UUID()))
            let cancelled = try await fixture.enqueue()
            let waiting = try await fixture.enqueue(schedule: .at(fixture.clock.now().addingTimeInterval(3600)))
            let ids = try [succeeding, failing, cancelled, waiting].map { try #require($0.run?.id) }
            // The scrape's derived uniqueness key gives it a `jobs` row; the others are stored as their runs alone.
            let rows: Set = [failing.job.id]
            #expect(try await fixture.runTables() == RunTables(queue: Set(ids), history: [], logged: [], jobRows: rows))

            let done = try await fixture.claimOne()
            let scrape = try await fixture.claimOne(["scrape"])
            try await fixture.store.appendLogs(
                try fixture.lease(of: done), [NewLogLine(at: fixture.clock.now(), "fetched page 1")])
            #expect(try await fixture.runTables().queue == Set(ids))
            let completed = try await fixture.store.completeRuns([
                CompletedRun(lease: try fixture.lease(of: done), completion: RunCompletion(rowsWritten: 7))
            ])
            #expect(completed == [done.id])
            _ = try await fixture.store.failRun(
                try fixture.lease(of: scrape), RunFailure(error: "HTTP 500", retryAt: fixture.clock.now()))
            #expect(try await fixture.runTables().history == [done.id], "a retrying run is unfinished")
            fixture.clock.advance(by: .seconds(60))
            let again = try await fixture.claimOne(["scrape"])
            let failed = try await fixture.store.failRun(
                try fixture.lease(of: again), RunFailure(error: "HTTP 500", retryAt: fixture.clock.now()))
            #expect(failed.state == .failed)
            _ = try await fixture.store.cancelRun(id: ids[2])
            #expect(
                try await fixture.runTables()
                    == RunTables(
                        queue: [ids[3]], history: [ids[0], ids[1], ids[2]], logged: [done.id], jobRows: rows))

            let finished = try await fixture.store.run(id: done.id)
            #expect(finished.state == .succeeded && finished.rowsWritten == 7 && finished.attempt == 1)
            #expect(try await fixture.store.listRuns(RunQuery()).items.map(\.id) == ids.reversed())
            #expect(
                try await fixture.store.listRuns(RunQuery(states: [.succeeded, .queued])).items.map(\.id)
                    == [ids[3], ids[0]])

            let retried = try await fixture.store.retryRun(id: ids[1])
            #expect(retried.state == .queued && retried.id == ids[1] && retried.finishedAt == nil)
            #expect(try await fixture.runTables().queue == [ids[1], ids[3]])
            #expect(try await fixture.claimOne(["scrape"]).id == ids[1])
        },
        ConformanceCase("keyset pages of runs neither repeat nor skip a run while runs move between tables") {
            fixture in
            var ids: [Int64] = []
            for _ in 0..<9 { ids.append(try #require(try await fixture.enqueue().run?.id)) }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await fixture.store.listRuns(RunQuery(limit: 2, cursor: cursor))
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                // Between pages, finish the oldest unfinished runs: they move to the history under the reader.
                let claimed = try await fixture.claim(limit: 2)
                _ = try await fixture.store.completeRuns(
                    try claimed.map { CompletedRun(lease: try fixture.lease(of: $0), completion: RunCompletion()) })
            } while cursor != nil
            #expect(seen == ids.reversed())
            #expect(try await fixture.runTables().history == Set(ids))
        },
        ConformanceCase("deleting a job or a brand deletes the log lines of its runs in either table") { fixture in
            let kept = try await fixture.enqueue(brand: ConformanceJobTypes.brandB)
            let first = try await fixture.enqueue()
            let second = try await fixture.enqueue()
            for _ in 0..<3 {
                let run = try await fixture.claimOne(worker: "logger")
                try await fixture.store.appendLogs(
                    try fixture.lease(of: run), [NewLogLine(at: fixture.clock.now(), "line of \(run.id)")])
                if run.jobID != second.job.id {
                    _ = try await fixture.store.completeRun(try fixture.lease(of: run), RunCompletion())
                } else {
                    _ = try await fixture.store.releaseRun(try fixture.lease(of: run))
                }
            }
            let runIDs = try [kept, first, second].map { try #require($0.run?.id) }
            #expect(try await fixture.runTables().logged == Set(runIDs))
            try await fixture.store.deleteJob(id: first.job.id)
            #expect(try await fixture.runTables().logged == [runIDs[0], runIDs[2]])
            try await fixture.store.deleteBrand(id: ConformanceJobTypes.brandA)
            #expect(try await fixture.runTables() == RunTables(queue: [], history: [runIDs[0]], logged: [runIDs[0]]))
        },
    ]
}
