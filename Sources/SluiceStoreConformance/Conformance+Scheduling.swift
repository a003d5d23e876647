import Foundation
import SluiceCore
import SluiceStore
import Synchronization
import Testing

extension StoreConformance {
    static let schedulingCases: [ConformanceCase] = [
        ConformanceCase("each cron tick gets one run, however many nodes schedule at once", stores: 4) { fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z
            let job = try await fixture.enqueue(schedule: .cron("*/5 * * * *", timeZone: "UTC"))
            #expect(job.run?.fireTime == Date(timeIntervalSince1970: 1_767_225_900))
            #expect(job.job.nextFireAt == Date(timeIntervalSince1970: 1_767_226_200))
            var fireTimes: [Date] = []
            for _ in 0..<6 {
                fixture.clock.advance(by: .seconds(300))
                let created = try await withThrowingTaskGroup(of: [Run].self) { group in
                    for store in fixture.stores {
                        group.addTask { try await store.scheduleRecurringRuns(RecurringScheduleRequest()) }
                    }
                    return try await group.reduce(into: [Run]()) { $0 += $1 }
                }
                fireTimes += created.compactMap(\.fireTime)
            }
            // 00:05 had its run at insert; the passes at 00:10 ... 00:30 each add exactly their own tick.
            let expected = (0..<5).map { Date(timeIntervalSince1970: 1_767_226_200 + Double($0) * 300) }
            #expect(fireTimes.sorted() == expected)
            let runs = try await fixture.store.listRuns(RunQuery(jobID: job.job.id, limit: 100)).items
            #expect(runs.count == 6 && Set(runs.compactMap(\.fireTime)).count == 6)
            #expect(runs.allSatisfy { $0.scheduledAt == $0.fireTime })
        },
        ConformanceCase("ticks within the lookahead get their run early; a failing tick does not stop the next") {
            fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))
            let job = try await fixture.enqueue(schedule: .cron("* * * * *", timeZone: "UTC"))
            fixture.clock.advance(by: .seconds(60))
            let first = try await fixture.claimOne()
            _ = try await fixture.store.failRun(try fixture.lease(of: first), RunFailure(error: "boom", retryAt: nil))
            fixture.clock.advance(by: .seconds(57))
            let early = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest(lookahead: .seconds(5)))
            #expect(early.map(\.fireTime) == [Date(timeIntervalSince1970: 1_767_225_720)])
            #expect(try await fixture.claim().isEmpty)
            #expect(
                try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest(lookahead: .seconds(5))).isEmpty)
            fixture.clock.advance(by: .seconds(3))
            #expect(try await fixture.claimOne().fireTime == Date(timeIntervalSince1970: 1_767_225_720))
            #expect(try await fixture.store.job(id: job.job.id).status == .active)
        },
        ConformanceCase("missed ticks are run once or skipped per the misfire policy; paused jobs wait") { fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))
            let job = try await fixture.enqueue(schedule: .cron("0 * * * *", timeZone: "UTC"))
            _ = try await fixture.store.pauseJob(id: job.job.id)
            fixture.clock.advance(by: .seconds(5 * 3600 + 600))  // 05:10, five ticks missed
            #expect(try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest()).isEmpty)
            _ = try await fixture.store.resumeJob(id: job.job.id)
            let caughtUp = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest())
            #expect(caughtUp.count == 1 && caughtUp[0].scheduledAt == stored(fixture.clock.now()))
            #expect(
                try await fixture.store.job(id: job.job.id).nextFireAt
                    == Date(timeIntervalSince1970: 1_767_225_600 + 6 * 3600))
            #expect(try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest()).isEmpty)
        },
        ConformanceCase("pruning honours the states asked for") { fixture in
            try await fixture.enqueue()
            try await fixture.enqueue()
            let runs = try await fixture.claim(limit: 2)
            _ = try await fixture.store.completeRun(try fixture.lease(of: runs[0]), RunCompletion())
            _ = try await fixture.store.failRun(try fixture.lease(of: runs[1]), RunFailure(error: "x", retryAt: nil))
            fixture.clock.advance(by: .seconds(10))
            let onlySucceeded = try await fixture.store.prune(
                PruneRequest(states: [.succeeded], finishedBefore: fixture.clock.now()))
            #expect(onlySucceeded.runsDeleted == 1)
            #expect(try await fixture.store.run(id: runs[1].id).state == .failed)
            await expectError(.invalidArgument, field: "states") {
                try await fixture.store.prune(PruneRequest(states: [.running], finishedBefore: fixture.clock.now()))
            }
        },
        ConformanceCase("listeners are woken when runs become available") { fixture in
            let woken = WakeCounter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await fixture.store.listenForWork(queues: ["default"]) { woken.increment() } }
                let before = try await woken.wait(atLeast: 1)  // listening has begun
                try await fixture.enqueue()
                _ = try await woken.wait(atLeast: before + 1)
                group.cancelAll()
            }
        },
    ]
}

/// Counts wake-ups and lets a test wait for them, with a generous deadline instead of a fixed sleep (the
/// conformance cases and the backends' own notification tests share it).
public final class WakeCounter: Sendable {
    private let count = Mutex(0)

    public init() {}

    /// Counts one wake-up.
    public func increment() { count.withLock { $0 += 1 } }

    /// Waits until at least `target` wake-ups happened (polling every 10 ms, failing after 30 s); returns the count.
    @discardableResult
    public func wait(atLeast target: Int) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            let current = count.withLock { $0 }
            if current >= target { return current }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("expected at least \(target) wake-ups within 30 s")
        return count.withLock { $0 }
    }
}
