import Foundation
import Testing

@testable import SluiceCore

@Suite("RecurringTick planning")
struct RecurringTickTests {
    /// Hourly at minute 0, UTC; 2026-01-01T00:00:00Z.
    static let hourly = JobSchedule.recurring(
        cron: try! CronSchedule(parsing: "0 * * * *"), timeZone: TimeZone(identifier: "UTC")!)
    static let midnight = Date(timeIntervalSince1970: 1_767_225_600)

    @Test(
        "a tick reached within the grace gets its own run at its fire time", arguments: [MisfirePolicy.skip, .runOnce])
    func inTime(policy: MisfirePolicy) {
        let now = Self.midnight.addingTimeInterval(30)
        let tick = RecurringTick.plan(
            due: Self.midnight, schedule: Self.hourly, policy: policy, now: now, grace: .seconds(60))
        #expect(tick.fireTime == Self.midnight && tick.scheduledAt == Self.midnight)
        #expect(tick.nextFireAt == Self.midnight.addingTimeInterval(3600))
    }

    @Test("a tick reached early (lookahead) keeps its fire time")
    func early() {
        let tick = RecurringTick.plan(
            due: Self.midnight, schedule: Self.hourly, policy: .skip, now: Self.midnight.addingTimeInterval(-5),
            grace: .seconds(60))
        #expect(tick.fireTime == Self.midnight && tick.nextFireAt == Self.midnight.addingTimeInterval(3600))
    }

    @Test("missed ticks are skipped: no run, next tick in the future")
    func skip() {
        let now = Self.midnight.addingTimeInterval(3 * 3600 + 120)
        let tick = RecurringTick.plan(
            due: Self.midnight, schedule: Self.hourly, policy: .skip, now: now, grace: .seconds(60))
        #expect(tick.fireTime == nil)
        #expect(tick.nextFireAt == Self.midnight.addingTimeInterval(4 * 3600))
    }

    @Test("missed ticks run once now, carrying the first missed tick's fire time")
    func runOnce() {
        let now = Self.midnight.addingTimeInterval(3 * 3600 + 120)
        let tick = RecurringTick.plan(
            due: Self.midnight, schedule: Self.hourly, policy: .runOnce, now: now, grace: .seconds(60))
        #expect(tick.fireTime == Self.midnight && tick.scheduledAt == now)
        #expect(tick.nextFireAt == Self.midnight.addingTimeInterval(4 * 3600))
    }

    @Test("exactly at the grace boundary the tick is still in time")
    func graceBoundary() {
        let now = Self.midnight.addingTimeInterval(60)
        let tick = RecurringTick.plan(
            due: Self.midnight, schedule: Self.hourly, policy: .skip, now: now, grace: .seconds(60))
        #expect(tick.fireTime == Self.midnight)
    }
}
