import Foundation
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceEngine

@Suite("The activity feed's cursor")
struct ActivityCursorTests {
    static let brand = UUID()
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func run(_ id: Int64, _ state: RunState, finishedAt: Date? = nil) -> Run {
        Run(
            id: id, jobID: id, brandID: brand, jobType: "noop", queue: "default", priority: 0, parameters: [:],
            state: state, attempt: 1, maxAttempts: 3, scheduledAt: t0, fireTime: nil, createdAt: t0, startedAt: nil,
            finishedAt: finishedAt, workerID: nil, leaseExpiresAt: nil, cancelRequested: false, progress: nil,
            progressMessage: nil, error: nil, result: nil, rowsWritten: nil)
    }

    static func line(_ id: Int64) -> ActivityLogLine {
        ActivityLogLine(
            line: LogLine(id: id, runID: 1, attempt: 1, at: t0, level: .info, message: "line \(id)"), brandID: brand,
            jobID: 1)
    }

    static func primed() -> ActivityCursor {
        var cursor = ActivityCursor()
        cursor.prime(
            with: RunActivity(runs: [], finished: [], logs: [], lastRunID: 4, lastLogID: 10), freshness: [:], at: t0)
        return cursor
    }

    @Test("ids skipped by a look (committed late on PostgreSQL) are asked for again until they appear")
    func gapsAreAskedForAgain() {
        var cursor = Self.primed()
        var query = cursor.query()
        let changes = cursor.advance(
            with: RunActivity(
                runs: [Self.run(5, .queued), Self.run(7, .queued)], finished: [], logs: [Self.line(11), Self.line(13)],
                lastRunID: 7, lastLogID: 13),
            for: query, producers: { _ in false })
        #expect(changes.runs.count == 2)
        query = cursor.query()
        #expect(query.watchedRunIDs == [6] && query.missingLogIDs == [12])
        let late = cursor.advance(
            with: RunActivity(
                runs: [Self.run(6, .running)], finished: [], logs: [Self.line(12)], lastRunID: 7, lastLogID: 13),
            for: query, producers: { _ in false })
        #expect(late.runs.count == 1)
        #expect(cursor.query().missingLogIDs.isEmpty && cursor.query().watchedRunIDs == [6])  // 6 is running now
    }

    @Test("skipped ids are forgotten after a while (rolled back, never to commit)")
    func gapsExpire() {
        var cursor = Self.primed()
        let start = ContinuousClock.now
        let query = cursor.query()
        _ = cursor.advance(
            with: RunActivity(runs: [Self.run(6, .queued)], finished: [], logs: [], lastRunID: 6, lastLogID: 10),
            for: query, producers: { _ in false }, now: start)
        #expect(cursor.query().watchedRunIDs == [5])
        let later = cursor.query()
        _ = cursor.advance(
            with: RunActivity(runs: [], finished: [], logs: [], lastRunID: 6, lastLogID: 10), for: later,
            producers: { _ in false }, now: start + .seconds(11))
        #expect(cursor.query().watchedRunIDs.isEmpty)
    }

    @Test("a burst of endings is read page by page; each ending is reported once")
    func finishedPages() {
        var cursor = Self.primed()
        let ended = (0..<5).map {
            Self.run(Int64($0) + 1, .succeeded, finishedAt: Self.t0.addingTimeInterval(Double($0)))
        }
        var reported: [Int64] = []
        for _ in 0..<6 {
            let query = cursor.query(limit: 2)
            let page = Array(ended.filter { $0.finishedAt! >= query.finishedSince }.prefix(2))
            let changes = cursor.advance(
                with: RunActivity(runs: [], finished: page, logs: [], lastRunID: 4, lastLogID: 10), for: query,
                producers: { _ in false })
            reported += changes.runs.compactMap { if case .runState(let run) = $0 { run.id } else { nil } }
        }
        #expect(reported == [1, 2, 3, 4, 5])
    }

    @Test("a state change of a dataset's producer names its brand for a freshness check")
    func producerBrands() {
        var cursor = Self.primed()
        let changes = cursor.advance(
            with: RunActivity(runs: [Self.run(5, .running)], finished: [], logs: [], lastRunID: 5, lastLogID: 10),
            for: cursor.query(), producers: { $0 == "noop" })
        #expect(changes.producerBrands == [Self.brand])
    }
}
