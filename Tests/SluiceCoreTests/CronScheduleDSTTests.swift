import Foundation
import Testing

@testable import SluiceCore

/// Daylight-saving transitions used below (2026):
/// - Europe/Berlin: 03-29 02:00 CET → 03:00 CEST (01:00Z); 10-25 03:00 CEST → 02:00 CET (01:00Z).
/// - America/New_York: 03-08 02:00 EST → 03:00 EDT (07:00Z); 11-01 02:00 EDT → 01:00 EST (06:00Z).
/// - Australia/Lord_Howe: 10-04 02:00 → 02:30 (+10:30 → +11, 10-03 15:30Z);
///   04-05 02:00 → 01:30 (+11 → +10:30, 04-04 15:00Z).
@Suite("CronSchedule daylight-saving time")
struct CronScheduleDSTTests {
    /// A transition day: zone, local date and the transition instant (UTC).
    struct TransitionDay: CustomTestStringConvertible, Sendable {
        let zoneID: String
        let year: Int
        let month: Int
        let day: Int
        let transitionUTC: (month: Int, day: Int, hour: Int, minute: Int)
        let isSpringForward: Bool

        var zone: TimeZone { CronTestSupport.zone(zoneID) }
        var transition: Date {
            CronTestSupport.utc(year, transitionUTC.month, transitionUTC.day, transitionUTC.hour, transitionUTC.minute)
        }
        var testDescription: String { "\(zoneID) \(year)-\(month)-\(day)" }

        func fires(_ expression: String) throws -> [Date] {
            try CronTestSupport.fires(of: expression, onDay: year, month, day, in: zone)
        }
    }

    static let berlinSpring = TransitionDay(
        zoneID: "Europe/Berlin", year: 2026, month: 3, day: 29, transitionUTC: (3, 29, 1, 0), isSpringForward: true)
    static let berlinFall = TransitionDay(
        zoneID: "Europe/Berlin", year: 2026, month: 10, day: 25, transitionUTC: (10, 25, 1, 0), isSpringForward: false)
    static let newYorkSpring = TransitionDay(
        zoneID: "America/New_York", year: 2026, month: 3, day: 8, transitionUTC: (3, 8, 7, 0), isSpringForward: true)
    static let newYorkFall = TransitionDay(
        zoneID: "America/New_York", year: 2026, month: 11, day: 1, transitionUTC: (11, 1, 6, 0), isSpringForward: false)
    static let lordHoweSpring = TransitionDay(
        zoneID: "Australia/Lord_Howe", year: 2026, month: 10, day: 4, transitionUTC: (10, 3, 15, 30),
        isSpringForward: true)
    static let lordHoweFall = TransitionDay(
        zoneID: "Australia/Lord_Howe", year: 2026, month: 4, day: 5, transitionUTC: (4, 4, 15, 0),
        isSpringForward: false)

    static let allDays = [berlinSpring, berlinFall, newYorkSpring, newYorkFall, lordHoweSpring, lordHoweFall]
    static let springDays = [berlinSpring, newYorkSpring, lordHoweSpring]

    @Test(arguments: allDays)
    func transitionsAreWhereTheTestsAssume(day: TransitionDay) throws {
        let found = day.zone.nextDaylightSavingTimeTransition(after: day.transition.addingTimeInterval(-3_600))
        #expect(found == day.transition)
    }

    @Test(arguments: allDays)
    func dailyJobAtHalfPastTwoFiresExactlyOnce(day: TransitionDay) throws {
        let fires = try day.fires("30 2 * * *")
        #expect(fires.count == 1, "\(fires.map { CronTestSupport.local($0, in: day.zone) })")
        if day.isSpringForward {
            // Berlin/New York: 02:30 does not exist, so it fires at the first instant after the gap (03:00 local).
            // Lord Howe: 02:30 is the first instant after the 02:00-02:29 gap.
            #expect(fires == [day.transition])
        }
    }

    @Test(arguments: zip(allDays, [23, 25, 23, 25, 24, 24]))
    func hourlyJobFireCount(day: TransitionDay, expected: Int) throws {
        let fires = try day.fires("0 * * * *")
        #expect(fires.count == expected, "\(fires.map { CronTestSupport.local($0, in: day.zone) })")
        #expect(Set(fires).count == fires.count)
    }

    @Test(arguments: springDays)
    func quarterHourTicksInTheGapCollapseIntoOneFireAtTheTransition(day: TransitionDay) throws {
        let fires = try day.fires("*/15 * * * *")
        let aroundGap = fires.filter { abs($0.timeIntervalSince(day.transition)) <= 3_600 }
        let lastBefore = try #require(aroundGap.last { $0 < day.transition })
        let firstAfter = try #require(aroundGap.first { $0 > day.transition })
        #expect(day.transition.timeIntervalSince(lastBefore) == 15 * 60)
        #expect(firstAfter.timeIntervalSince(day.transition) == 15 * 60)
        #expect(aroundGap.filter { $0 == day.transition }.count == 1)
        // Every real quarter hour of the shortened day fires once.
        let dayLength = day.zoneID == "Australia/Lord_Howe" ? 23.5 : 23
        #expect(Double(fires.count) == dayLength * 4)
    }

    @Test func gapTickFiresAtTheTransitionWhenLookingFromJustBefore() throws {
        let day = Self.berlinSpring
        let schedule = try CronSchedule(parsing: "30 2 * * *")
        #expect(schedule.nextFireDate(after: day.transition.addingTimeInterval(-1), in: day.zone) == day.transition)
        #expect(schedule.nextFireDate(after: day.transition, in: day.zone) == CronTestSupport.utc(2026, 3, 30, 0, 30))
        let quarter = try CronSchedule(parsing: "*/15 * * * *")
        #expect(quarter.nextFireDate(after: day.transition, in: day.zone) == CronTestSupport.utc(2026, 3, 29, 1, 15))
    }

    @Test func lordHoweHalfHourGap() throws {
        let day = Self.lordHoweSpring
        // 02:15 falls in the 02:00-02:29 gap and fires at 02:30 (+11); 02:45 is real.
        #expect(try day.fires("15 2 * * *") == [day.transition])
        #expect(try day.fires("45 2 * * *") == [day.transition.addingTimeInterval(15 * 60)])
        #expect(try day.fires("0,15 2 * * *") == [day.transition])
    }

    @Test(arguments: [
        (berlinFall, "30 2 * * *", CronTestSupport.utc(2026, 10, 25, 0, 30)),
        (newYorkFall, "30 1 * * *", CronTestSupport.utc(2026, 11, 1, 5, 30)),
        (lordHoweFall, "45 1 * * *", CronTestSupport.utc(2026, 4, 4, 14, 45)),
        (berlinFall, "0 0-23/2 * * *", CronTestSupport.utc(2026, 10, 25, 0, 0)),
    ])
    func restrictedHourInTheOverlapFiresAtTheFirstOccurrenceOnly(
        day: TransitionDay,
        expression: String,
        expected: Date
    ) throws {
        let fires = try day.fires(expression)
        #expect(fires.contains(expected))
        let overlap = fires.filter { abs($0.timeIntervalSince(day.transition)) < 3_600 }
        #expect(overlap.filter { $0 >= day.transition }.isEmpty, "\(fires)")
    }

    @Test(arguments: [
        (berlinFall, "30 * * * *", [(0, 30), (1, 30)]),
        (berlinFall, "0 */2 * * *", [(0, 0), (1, 0)]),
        (newYorkFall, "*/30 * * * *", [(5, 0), (5, 30), (6, 0), (6, 30)]),
        (lordHoweFall, "*/15 * * * *", [(14, 0), (14, 15), (14, 30), (14, 45), (15, 0), (15, 15), (15, 30), (15, 45)]),
    ])
    func unrestrictedHourInTheOverlapFiresAtBothOccurrences(
        day: TransitionDay,
        expression: String,
        utcTimes: [(Int, Int)]
    ) throws {
        let fires = try day.fires(expression)
        let start = day.transition.addingTimeInterval(-3_600)
        let end = day.transition.addingTimeInterval(3_600)
        let window = fires.filter { $0 >= start && $0 < end }
        let month = day.transitionUTC.month
        let utcDay = day.transitionUTC.day
        #expect(window == utcTimes.map { CronTestSupport.utc(day.year, month, utcDay, $0.0, $0.1) })
    }

    @Test func lookingFromTheSecondPassOfTheOverlap() throws {
        let zone = Self.berlinFall.zone
        let secondPass = CronTestSupport.utc(2026, 10, 25, 1, 10)  // 02:10 CET, after 02:30 CEST already happened.
        let daily = try CronSchedule(parsing: "30 2 * * *")
        #expect(daily.nextFireDate(after: secondPass, in: zone) == CronTestSupport.utc(2026, 10, 26, 1, 30))
        let hourly = try CronSchedule(parsing: "30 * * * *")
        #expect(hourly.nextFireDate(after: secondPass, in: zone) == CronTestSupport.utc(2026, 10, 25, 1, 30))
        let firstPass = CronTestSupport.utc(2026, 10, 25, 0, 40)  // 02:40 CEST
        #expect(daily.nextFireDate(after: firstPass, in: zone) == CronTestSupport.utc(2026, 10, 26, 1, 30))
        #expect(hourly.nextFireDate(after: firstPass, in: zone) == CronTestSupport.utc(2026, 10, 25, 1, 30))
    }

    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
    func wholeYearHasOneDailyFirePerLocalDayAndOneHourlyFirePerHour(zoneID: String) throws {
        let zone = CronTestSupport.zone(zoneID)
        let start = CronTestSupport.date(2026, 1, 1, in: zone).addingTimeInterval(-1)
        let end = CronTestSupport.date(2027, 1, 1, in: zone).addingTimeInterval(-1)
        let dailySchedule = try CronSchedule(parsing: "30 2 * * *")
        let daily = CronTestSupport.fires(of: dailySchedule, after: start, through: end, in: zone)
        #expect(daily.count == 365)
        let calendar = CronTestSupport.calendar(zone)
        #expect(Set(daily.map { calendar.ordinality(of: .day, in: .year, for: $0) }).count == 365)
        let hourlySchedule = try CronSchedule(parsing: "0 * * * *")
        let hourly = CronTestSupport.fires(of: hourlySchedule, after: start, through: end, in: zone)
        #expect(hourly.count == 365 * 24)
    }
}
