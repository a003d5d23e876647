import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let logCases: [ConformanceCase] = [
        ConformanceCase("log lines are appended in batches, tailed by id, and summarised") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne()
            let lease = try fixture.lease(of: run)
            let now = fixture.clock.now()
            let summaryBefore = try await fixture.store.logSummary(runID: run.id)
            #expect(summaryBefore.lines == 0 && summaryBefore.text == "no log lines")
            try await fixture.store.appendLogs(
                lease,
                [
                    NewLogLine(at: now, "fetching page 1"), NewLogLine(at: now, level: .warning, "slow response"),
                    NewLogLine(at: now, level: .error, "HTTP 500"), NewLogLine(at: now, "retrying page 1"),
                ])
            try await fixture.store.appendLogs(lease, (0..<10).map { NewLogLine(at: now, "ad \($0)") })
            let all = try await fixture.store.logs(LogQuery(runID: run.id))
            #expect(all.count == 14 && all.first?.message == "fetching page 1" && all.last?.message == "ad 9")
            #expect(all.allSatisfy { $0.attempt == 1 && $0.runID == run.id && $0.at == stored(now) })
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.id < $1.id })
            let tail = try await fixture.store.logs(LogQuery(runID: run.id, after: all[11].id, limit: 5))
            #expect(tail.map(\.message) == ["ad 8", "ad 9"])
            let page = try await fixture.store.logs(LogQuery(runID: run.id, limit: 3))
            #expect(page.map(\.level) == [.info, .warning, .error])
            let summary = try await fixture.store.logSummary(runID: run.id)
            #expect(summary.lines == 14 && summary.warnings == 1 && summary.errors == 1)
            #expect(summary.lastMessage == "ad 9" && summary.lastError == "HTTP 500")
            #expect(summary.text == "14 lines, 1 warning, 1 error: HTTP 500")
            await expectError(.invalidArgument, field: "limit") {
                try await fixture.store.logs(LogQuery(runID: run.id, limit: 0))
            }
            await expectError(.notFound) { try await fixture.store.logSummary(runID: 424_242) }
            try await fixture.enqueue()
            let quiet = try await fixture.claimOne()
            let many = try await fixture.store.logSummaries(runIDs: [run.id, quiet.id, 424_242])
            #expect(many.count == 2 && many[run.id] == summary && many[quiet.id]?.lines == 0)
            #expect(try await fixture.store.logSummaries(runIDs: []).isEmpty)
            await expectError(.invalidArgument, field: "run_ids") {
                try await fixture.store.logSummaries(runIDs: Array(1...1001))
            }
        },
        ConformanceCase("an over-long log line is truncated, not refused") { fixture in
            try await fixture.enqueue()
            let run = try await fixture.claimOne()
            let long = String(repeating: "é", count: NewLogLine.maximumLength + 50)
            try await fixture.store.appendLogs(try fixture.lease(of: run), [NewLogLine(at: fixture.clock.now(), long)])
            let lines = try await fixture.store.logs(LogQuery(runID: run.id))
            #expect(lines.first?.message.count == NewLogLine.maximumLength)
        },
    ]
}
