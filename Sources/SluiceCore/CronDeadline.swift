import Foundation

/// A freshness deadline: a cron schedule in a time zone, each tick a deadline by which the dataset must have been
/// refreshed within `lookback` before it ("refreshed between 09:00 and 10:00 Europe/Berlin" is `0 10 * * *` with a
/// one-hour lookback).
///
/// With `previous` the last deadline at or before now and `next` the first after it:
/// - `fresh` when the last success lies in `next`'s window (it is already done for the next deadline), or, before
///   that window opens, in `previous`'s window or later;
/// - `stale` while `next`'s window is open and the dataset was not refreshed in it (due now);
/// - `failing` when `previous` passed without a refresh in its window (a missed deadline).
public struct CronDeadline: Sendable, Hashable {
    /// The cron expression, as given.
    public let expression: String
    /// The parsed schedule.
    public let schedule: CronSchedule
    /// The zone the expression is read in.
    public let timeZone: TimeZone
    /// How long before each deadline a refresh counts for it.
    public let lookback: Duration

    /// Creates a deadline.
    /// - Throws: ``SluiceError`` with ``SluiceError/Code/invalidCron`` (field `deadline_cron`),
    ///   ``SluiceError/Code/unknownTimeZone`` (field `timezone`) or ``SluiceError/Code/invalidArgument``
    ///   (field `lookback`, when not positive).
    public init(cron expression: String, timeZone zoneName: String, lookback: Duration) throws(SluiceError) {
        do {
            schedule = try CronSchedule(parsing: expression)
        } catch {
            throw SluiceError(.invalidCron, "deadline cron is invalid: \(error.message)", field: "deadline_cron")
        }
        guard let zone = TimeZone.iana(zoneName) else {
            throw SluiceError(.unknownTimeZone, "time zone is not a known IANA identifier", field: "timezone")
        }
        guard lookback > .zero else { throw .invalidArgument("lookback", "must be positive") }
        self.expression = expression
        self.timeZone = zone
        self.lookback = lookback
    }

    /// The first deadline after `date`.
    public func nextDeadline(after date: Date) -> Date? { schedule.nextFireDate(after: date, in: timeZone) }

    /// The last deadline at or before `date`, searched up to 8 years back (every schedule that parses fires at least
    /// once in 8 years, the longest gap being a 29 February that falls on a given weekday).
    public func previousDeadline(atOrBefore date: Date) -> Date? {
        var span: TimeInterval = 3_600
        while span <= 8 * 366 * 86_400 {
            // The last tick in (date - span, date], walking forward from the window's start.
            var cursor = date.addingTimeInterval(-span)
            var last: Date?
            while let tick = nextDeadline(after: cursor), tick <= date {
                last = tick
                cursor = tick
            }
            if let last { return last }
            span *= 4
        }
        return nil
    }

    /// The state of a dataset last refreshed at `lastSuccess`, at `now`.
    func state(lastSuccess: Date, at now: Date) -> FreshnessState {
        let window = lookback.seconds
        if let next = nextDeadline(after: now) {
            if lastSuccess >= next.addingTimeInterval(-window) { return .fresh }
            if now >= next.addingTimeInterval(-window) { return .stale }
        }
        guard let previous = previousDeadline(atOrBefore: now) else { return .fresh }
        return lastSuccess >= previous.addingTimeInterval(-window) ? .fresh : .failing
    }
}
