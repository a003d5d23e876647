import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static func hash(_ seed: Character) -> String { String(repeating: seed, count: 64) }

    static let accessCases: [ConformanceCase] = [
        ConformanceCase("tokens: the first is created once, found by hash, marked used to the minute, revoked") {
            fixture in
            let store = fixture.store
            let first = try #require(
                try await store.createFirstToken(NewAPIToken(name: "admin", role: .admin, secretHash: hash("a"))))
            #expect(
                try await store.createFirstToken(NewAPIToken(name: "x", role: .admin, secretHash: hash("b"))) == nil)
            let viewer = try await store.createToken(
                NewAPIToken(
                    name: "brand A viewer", role: .viewer, brandID: ConformanceJobTypes.brandA,
                    secretHash: hash("c")))
            #expect(viewer.brandID == ConformanceJobTypes.brandA && viewer.role == .viewer && viewer.lastUsedAt == nil)
            await expectError(.conflict) {
                try await store.createToken(NewAPIToken(name: "again", role: .viewer, secretHash: hash("c")))
            }
            await expectError(.invalidArgument, field: "brand_id") {
                try await store.createToken(
                    NewAPIToken(name: "x", role: .admin, brandID: ConformanceJobTypes.brandA, secretHash: hash("d")))
            }
            await expectError(.invalidArgument, field: "secret_hash") {
                try await store.createToken(NewAPIToken(name: "x", role: .viewer, secretHash: "ABC"))
            }
            await expectError(.invalidArgument, field: "name") {
                try await store.createToken(NewAPIToken(name: " ", role: .viewer, secretHash: hash("e")))
            }
            let used = fixture.clock.now()
            let found = try #require(try await store.authenticate(secretHash: hash("c"), at: used))
            #expect(found.id == viewer.id && found.lastUsedAt == StoredAccessValues.minute(of: used))
            let stored = try await store.tokens().first { $0.id == viewer.id }
            #expect(stored?.lastUsedAt == StoredAccessValues.minute(of: used))
            #expect(try await store.authenticate(secretHash: hash("f"), at: used) == nil)
            let revoked = try await store.revokeToken(id: viewer.id)
            #expect(revoked.revokedAt != nil)
            #expect(try await store.authenticate(secretHash: hash("c"), at: used) == nil)
            fixture.clock.advance(by: .seconds(60))
            #expect(try await store.revokeToken(id: viewer.id).revokedAt == revoked.revokedAt)
            await expectError(.notFound) { try await store.revokeToken(id: UUID()) }
            #expect(try await store.tokens().map(\.id) == [first.id, viewer.id])
        },
        ConformanceCase("two nodes starting at once create one first token", stores: 2) { fixture in
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let token = NewAPIToken(
                            name: "admin \(index)", role: .admin, secretHash: String(format: "%064x", index))
                        return try await fixture.stores[index % 2].createFirstToken(token) == nil ? 0 : 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(created == 1)
            #expect(try await fixture.store.tokens().count == 1)
        },
        ConformanceCase("the audit log pages newest first and filters by brand") { fixture in
            let store = fixture.store
            let at = fixture.clock.now().roundedToMicroseconds
            for (index, brand) in [ConformanceJobTypes.brandA, ConformanceJobTypes.brandB, ConformanceJobTypes.brandA]
                .enumerated()
            {
                _ = try await store.appendAudit(
                    NewAuditEntry(
                        actor: "ops", tokenID: nil, action: "job.enqueue", target: "job/\(index)", brandID: brand,
                        outcome: index == 2 ? "invalid_parameters" : "ok", at: at))
            }
            let page = try await store.auditLog(AuditQuery(limit: 2))
            #expect(page.items.map(\.entry.target) == ["job/2", "job/1"])
            #expect(
                page.items[0].entry
                    == NewAuditEntry(
                        actor: "ops", tokenID: nil, action: "job.enqueue", target: "job/2",
                        brandID: ConformanceJobTypes.brandA, outcome: "invalid_parameters", at: at))
            let rest = try await store.auditLog(AuditQuery(limit: 2, cursor: page.nextCursor))
            #expect(rest.items.map(\.entry.target) == ["job/0"] && rest.nextCursor == nil)
            let brandA = try await store.auditLog(AuditQuery(brandID: ConformanceJobTypes.brandA))
            #expect(brandA.items.map(\.entry.target) == ["job/2", "job/0"])
            await expectError(.invalidArgument, field: "action") {
                try await store.appendAudit(
                    NewAuditEntry(
                        actor: "ops", tokenID: nil, action: "", target: "job/1", brandID: nil, outcome: "ok", at: at))
            }
        },
        ConformanceCase("run activity: new, running, finished and watched runs, and new log lines with their run") {
            fixture in
            let store = fixture.store
            let old = try await fixture.enqueue()
            let marks = try await store.runActivity(
                RunActivityQuery(afterRunID: nil, finishedSince: fixture.clock.now(), afterLogID: nil))
            #expect(marks.runs.isEmpty && marks.lastRunID == old.run?.id && marks.lastLogID == 0)
            let new = try await fixture.enqueue("noop", brand: ConformanceJobTypes.brandB)
            let since = fixture.clock.now()
            var look = try await store.runActivity(
                RunActivityQuery(afterRunID: marks.lastRunID, finishedSince: since, afterLogID: marks.lastLogID))
            #expect(look.runs.map(\.id) == [new.run?.id] && look.runs[0].state == .queued)
            let running = try await fixture.claimOne()
            try await store.appendLogs(try fixture.lease(of: running), [NewLogLine(at: since, "fetched page 1")])
            look = try await store.runActivity(
                RunActivityQuery(afterRunID: look.lastRunID, finishedSince: since, afterLogID: look.lastLogID))
            #expect(look.runs.map(\.id) == [running.id] && look.runs[0].state == .running)
            #expect(look.logs.map(\.line.message) == ["fetched page 1"])
            #expect(look.logs[0].brandID == running.brandID && look.logs[0].jobID == running.jobID)
            fixture.clock.advance(by: .seconds(1))
            _ = try await store.failRun(
                try fixture.lease(of: running), RunFailure(error: "boom", retryAt: fixture.clock.now()))
            let afterLogs = look.lastLogID
            look = try await store.runActivity(
                RunActivityQuery(
                    afterRunID: look.lastRunID, finishedSince: since, watchedRunIDs: [running.id],
                    afterLogID: afterLogs))
            #expect(look.runs.map(\.state) == [.retrying] && look.logs.isEmpty && look.lastLogID == afterLogs)
            let other = try await fixture.claimOne()
            _ = try await store.completeRun(try fixture.lease(of: other), RunCompletion())
            look = try await store.runActivity(
                RunActivityQuery(afterRunID: look.lastRunID, finishedSince: since, afterLogID: look.lastLogID))
            #expect(look.finished.map(\.id) == [other.id] && look.finished[0].state == .succeeded)
            // A skipped id is asked for again: here the first log line stands for one committed late.
            let lateLine = try await store.runActivity(
                RunActivityQuery(
                    afterRunID: look.lastRunID, finishedSince: since, afterLogID: look.lastLogID,
                    missingLogIDs: [afterLogs]))
            #expect(lateLine.logs.map(\.line.id) == [afterLogs] && lateLine.lastLogID == look.lastLogID)
            let page = try await store.runActivity(
                RunActivityQuery(afterRunID: look.lastRunID, finishedSince: since, afterLogID: 0, limit: 1))
            #expect(page.finished.map(\.id) == [other.id] && page.logs.count == 1)
            await expectError(.invalidArgument, field: "limit") {
                try await store.runActivity(
                    RunActivityQuery(afterRunID: 0, finishedSince: since, afterLogID: 0, limit: 0))
            }
        },
        ConformanceCase("active run counts group unfinished runs by job type, queue and state") { fixture in
            try await fixture.enqueue()
            try await fixture.enqueue()
            try await fixture.enqueue("slow")
            _ = try await fixture.claimOne()
            let counts = try await fixture.store.activeRunCounts()
            #expect(
                Set(counts) == [
                    ActiveRunCount(jobType: "noop", queue: "default", state: .queued, count: 1),
                    ActiveRunCount(jobType: "noop", queue: "default", state: .running, count: 1),
                    ActiveRunCount(jobType: "slow", queue: "slow", state: .queued, count: 1),
                ])
        },
    ]
}
