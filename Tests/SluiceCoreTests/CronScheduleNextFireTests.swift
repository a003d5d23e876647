import Foundation
import Testing

@testable import SluiceCore

@Suite("CronSchedule next fire time")
struct CronScheduleNextFireTests {
    private let utcZone = CronTestSupport.zone("UTC")

    private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        CronTestSupport.utc(year, month, day, hour, minute)
    }

    /// The next `count` fire times after `start`.
    private func sequence(
        _ expression: String,
        after start: Date,
        count: Int,
        in zone: TimeZone? = nil
    ) throws -> [Date] {
        let schedule = try CronSchedule(parsing: expression)
        var result: [Date] = []
        var current = start
        for _ in 0..<count {
            current = try #require(schedule.nextFireDate(after: current, in: zone ?? utcZone))
            result.append(current)
        }
        return result
    }

    private func next(_ expression: String, after start: Date, in zone: TimeZone? = nil) throws -> Date? {
        try CronSchedule(parsing: expression).nextFireDate(after: start, in: zone ?? utcZone)
    }

    @Test func everyMinuteIsStrictlyAfter() throws {
        let start = utc(2026, 5, 10, 12, 0).addingTimeInterval(30)
        #expect(try next("* * * * *", after: start) == utc(2026, 5, 10, 12, 1))
        #expect(try next("* * * * *", after: utc(2026, 5, 10, 12, 1)) == utc(2026, 5, 10, 12, 2))
        let justBefore = utc(2026, 5, 10, 12, 1).addingTimeInterval(-0.001)
        #expect(try next("* * * * *", after: justBefore) == utc(2026, 5, 10, 12, 1))
    }

    @Test func fractionalSecondsAreIgnoredAndResultHasZeroSeconds() throws {
        let start = utc(2026, 5, 10, 12, 0).addingTimeInterval(59.999)
        let result = try #require(try next("* * * * *", after: start))
        #expect(result == utc(2026, 5, 10, 12, 1))
        #expect(result.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
    }

    @Test func stepMinutes() throws {
        let fires = try sequence("*/15 * * * *", after: utc(2026, 5, 10, 23, 7), count: 5)
        #expect(
            fires == [
                utc(2026, 5, 10, 23, 15), utc(2026, 5, 10, 23, 30), utc(2026, 5, 10, 23, 45), utc(2026, 5, 11, 0, 0),
                utc(2026, 5, 11, 0, 15),
            ])
        #expect(try next("10-30/10 * * * *", after: utc(2026, 5, 10, 9, 30)) == utc(2026, 5, 10, 10, 10))
    }

    @Test func hourlyFromAnExactTick() throws {
        #expect(try next("0 * * * *", after: utc(2026, 5, 10, 10, 0)) == utc(2026, 5, 10, 11, 0))
        #expect(try next("@hourly", after: utc(2026, 5, 10, 23, 0)) == utc(2026, 5, 11, 0, 0))
    }

    @Test func specificWeekday() throws {
        // 2026-05-10 is a Sunday.
        #expect(try next("0 9 * * MON", after: utc(2026, 5, 10, 12, 0)) == utc(2026, 5, 11, 9, 0))
        #expect(try next("0 9 * * 1", after: utc(2026, 5, 11, 9, 0)) == utc(2026, 5, 18, 9, 0))
        #expect(try next("0 9 * * 7", after: utc(2026, 5, 10, 8, 0)) == utc(2026, 5, 10, 9, 0))
    }

    @Test func weekdaysSkipTheWeekend() throws {
        // 2026-05-15 is a Friday.
        let fires = try sequence("30 8 * * MON-FRI", after: utc(2026, 5, 15, 9, 0), count: 2)
        #expect(fires == [utc(2026, 5, 18, 8, 30), utc(2026, 5, 19, 8, 30)])
    }

    @Test func lastMinuteOfTheYearRollsOver() throws {
        #expect(try next("* * * * *", after: utc(2026, 12, 31, 23, 59)) == utc(2027, 1, 1, 0, 0))
        #expect(try next("59 23 31 12 *", after: utc(2026, 12, 31, 23, 59)) == utc(2027, 12, 31, 23, 59))
        #expect(try next("59 23 31 12 *", after: utc(2026, 12, 31, 23, 58)) == utc(2026, 12, 31, 23, 59))
        #expect(try next("@yearly", after: utc(2026, 6, 1)) == utc(2027, 1, 1))
    }

    @Test func leapDayFindsTheNextLeapYear() throws {
        #expect(try next("0 0 29 2 *", after: utc(2026, 3, 1)) == utc(2028, 2, 29))
        #expect(try next("0 0 29 2 *", after: utc(2028, 2, 29)) == utc(2032, 2, 29))
        // 2100 is not a leap year, so this is the full eight-year stretch.
        #expect(try next("0 0 29 2 *", after: utc(2096, 2, 29, 0, 1)) == utc(2104, 2, 29))
    }

    @Test func leapDayOnASundayNeedsDecades() throws {
        // `*/7` starts with `*`, so (Vixie) the day must be Feb 29 AND a Sunday.
        #expect(try next("0 0 29 2 */7", after: utc(2026, 1, 1)) == utc(2032, 2, 29))
        #expect(try next("0 0 29 2 */7", after: utc(2032, 2, 29)) == utc(2060, 2, 29))
        let berlin = CronTestSupport.zone("Europe/Berlin")
        let local = try #require(try next("0 12 29 2 */7", after: utc(2033, 1, 1), in: berlin))
        #expect(local == utc(2060, 2, 29, 11, 0))
    }

    @Test func leapDayOrMondayFiresOnFebruaryMondays() throws {
        // Both day fields are restricted, so any Monday in February fires too. 2027-02-01 is a Monday.
        #expect(try next("0 0 29 2 1", after: utc(2026, 3, 1)) == utc(2027, 2, 1))
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        let fires = try sequence("0 0 13 * 5", after: utc(2026, 5, 10), count: 8)
        let days = [(5, 13), (5, 15), (5, 22), (5, 29), (6, 5), (6, 12), (6, 13), (6, 19)]
        #expect(fires == days.map { utc(2026, $0.0, $0.1) })
    }

    @Test func dayOfMonthAndDayOfWeekWhenOneStartsWithStar() throws {
        // Odd days that are Mondays.
        let fires = try sequence("0 0 */2 * 1", after: utc(2026, 5, 10), count: 4)
        #expect(fires == [utc(2026, 5, 11), utc(2026, 5, 25), utc(2026, 6, 1), utc(2026, 6, 15)])
        // A plain `*` day-of-week leaves only the day of the month.
        #expect(try next("0 0 15 * *", after: utc(2026, 5, 16)) == utc(2026, 6, 15))
        #expect(try next("0 0 * * FRI", after: utc(2026, 5, 10)) == utc(2026, 5, 15))
    }

    @Test func monthNames() throws {
        #expect(try next("0 12 1 JAN,jul *", after: utc(2026, 2, 1)) == utc(2026, 7, 1, 12, 0))
        #expect(try next("0 12 1 JAN,jul *", after: utc(2026, 7, 1, 12, 0)) == utc(2027, 1, 1, 12, 0))
        #expect(try next("0 0 * dec SUN", after: utc(2026, 1, 1)) == utc(2026, 12, 6))
    }

    @Test func dayThirtyOneSkipsShortMonths() throws {
        let fires = try sequence("0 0 31 * *", after: utc(2026, 1, 31), count: 4)
        #expect(fires == [utc(2026, 3, 31), utc(2026, 5, 31), utc(2026, 7, 31), utc(2026, 8, 31)])
    }

    @Test func wallClockInOtherZones() throws {
        let kolkata = CronTestSupport.zone("Asia/Kolkata")
        #expect(try next("0 9 * * *", after: utc(2026, 5, 10), in: kolkata) == utc(2026, 5, 10, 3, 30))
        let newYork = CronTestSupport.zone("America/New_York")
        #expect(try next("@daily", after: utc(2026, 7, 1), in: newYork) == utc(2026, 7, 1, 4, 0))
        #expect(try next("@daily", after: utc(2026, 1, 1, 6, 0), in: newYork) == utc(2026, 1, 2, 5, 0))
        let lordHowe = CronTestSupport.zone("Australia/Lord_Howe")
        #expect(try next("0 9 * * *", after: utc(2026, 7, 1), in: lordHowe) == utc(2026, 7, 1, 22, 30))
        #expect(try next("0 9 * * *", after: utc(2026, 12, 1), in: lordHowe) == utc(2026, 12, 1, 22, 0))
    }

    @Test func localDayDecidesTheWeekday() throws {
        // 2026-05-11 00:30 in Kolkata is a Monday while it is still Sunday in UTC.
        let kolkata = CronTestSupport.zone("Asia/Kolkata")
        #expect(try next("30 0 * * MON", after: utc(2026, 5, 10, 12, 0), in: kolkata) == utc(2026, 5, 10, 19, 0))
    }

    @Test func instantsBefore1970() throws {
        #expect(try next("0 0 1 1 *", after: utc(1969, 6, 1)) == utc(1970, 1, 1))
        #expect(try next("*/20 * * * *", after: utc(1969, 12, 31, 23, 45)) == utc(1970, 1, 1))
    }

    @Test func absurdInstantsReturnNil() throws {
        let schedule = try CronSchedule(parsing: "* * * * *")
        #expect(schedule.nextFireDate(after: .distantFuture.addingTimeInterval(1e15), in: utcZone) == nil)
    }
}
