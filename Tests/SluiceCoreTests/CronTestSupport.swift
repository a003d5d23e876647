import Foundation
import Testing

@testable import SluiceCore

/// Helpers shared by the cron tests.
enum CronTestSupport {
    /// The zone with the given identifier; the tests rely on the system's tz database having these zones.
    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            fatalError("missing time zone \(identifier)")
        }
        return zone
    }

    /// A Gregorian calendar in `zone`.
    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The instant of the given wall-clock time in `zone` (must exist and be unambiguous to be meaningful).
    static func date(
        _ year: Int,
        _ month: Int,
        _ day: Int,
        _ hour: Int = 0,
        _ minute: Int = 0,
        _ second: Int = 0,
        in zone: TimeZone = zone("UTC")
    ) -> Date {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar(zone).date(from: components) else {
            fatalError("invalid date \(components)")
        }
        return date
    }

    /// A UTC instant.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        date(year, month, day, hour, minute, in: zone("UTC"))
    }

    /// All fire instants in `(start, end]`, found by calling `nextFireDate` repeatedly.
    static func fires(
        of schedule: CronSchedule,
        after start: Date,
        through end: Date,
        in zone: TimeZone,
        limit: Int = 20_000
    ) -> [Date] {
        var result: [Date] = []
        var current = start
        while result.count < limit, let next = schedule.nextFireDate(after: current, in: zone), next <= end {
            guard next > current else {
                Issue.record("nextFireDate(after: \(current)) returned \(next) for \(schedule)")
                break
            }
            result.append(next)
            current = next
        }
        return result
    }

    /// All fire instants during the local calendar day `year-month-day` in `zone`.
    static func fires(
        of expression: String,
        onDay year: Int,
        _ month: Int,
        _ day: Int,
        in zone: TimeZone
    ) throws -> [Date] {
        let schedule = try CronSchedule(parsing: expression)
        let calendar = calendar(zone)
        let dayStart = date(year, month, day, in: zone)
        let nextDayStart = try #require(calendar.date(byAdding: .day, value: 1, to: dayStart))
        return fires(
            of: schedule,
            after: dayStart.addingTimeInterval(-1),
            through: nextDayStart.addingTimeInterval(-1),
            in: zone
        )
    }

    /// Wall-clock time with UTC offset of `date` in `zone`, e.g. `2026-03-29 03:00+02:00`, for failure messages.
    static func local(_ date: Date, in zone: TimeZone) -> String {
        let parts = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = zone.secondsFromGMT(for: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let sign = offset < 0 ? "-" : "+"
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day)) \(pad(parts.hour)):\(pad(parts.minute))"
            + "\(sign)\(pad(abs(offset) / 3_600)):\(pad(abs(offset) % 3_600 / 60))"
    }
}
