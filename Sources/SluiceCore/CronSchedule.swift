import Foundation

/// A parsed five-field cron expression that can compute when it next fires.
///
/// ## Syntax
/// An expression has five fields separated by one or more spaces or tabs:
///
/// | Field        | Values                    |
/// |--------------|---------------------------|
/// | minute       | 0-59                      |
/// | hour         | 0-23                      |
/// | day-of-month | 1-31                      |
/// | month        | 1-12 or `JAN`-`DEC`       |
/// | day-of-week  | 0-7 or `SUN`-`SAT` (0 and 7 are Sunday) |
///
/// Each field is a comma-separated list of `*`, a value, a range `a-b`, or a stepped form `*/n`, `a-b/n` or `a/n`
/// (`a/n` means `a` through the field's maximum in steps of `n`). Names are case-insensitive. Instead of five fields
/// an expression may be one of the case-insensitive macros `@yearly`/`@annually` (`0 0 1 1 *`), `@monthly`
/// (`0 0 1 * *`), `@weekly` (`0 0 * * 0`), `@daily`/`@midnight` (`0 0 * * *`) or `@hourly` (`0 * * * *`).
///
/// Parsing rejects day-of-month/month combinations that can never fire (such as `0 0 30 2 *`) when the day-of-week
/// field starts with `*`; `0 0 29 2 *` is accepted and fires on leap days.
///
/// ## Matching days (Vixie cron)
/// A field is *unrestricted* iff its text starts with `*` (so `*/2` counts as unrestricted, `1-31` does not).
/// If both day-of-month and day-of-week are restricted, a day matches when *either* matches. Otherwise a day must
/// match both; with a plain `*` that means only the other field applies.
///
/// ## Time zones and daylight-saving time
/// Fields are matched against wall-clock time in the time zone passed to ``nextFireDate(after:in:)``. A wall-clock
/// minute that matches all fields is a *tick*. Ticks map to fire instants as follows:
///
/// - A tick that exists exactly once fires at that instant.
/// - **Gap (spring forward).** Ticks whose wall-clock time is skipped by a transition (for example 02:00-02:59 in
///   Berlin on 2026-03-29) all collapse into a single fire at the transition instant, the first instant after the
///   gap (03:00 local there). If the transition's own wall-clock time is a tick as well, it still fires only once.
///   So `30 2 * * *` fires at 03:00 local on that day and at 02:30 on every other day.
/// - **Overlap (fall back).** Ticks whose wall-clock time occurs twice (02:00-02:59 in Berlin on 2026-10-25) fire
///   only at the *first* occurrence when the hour field is restricted, so `30 2 * * *` still fires once that day.
///   When the hour field is unrestricted (`*`, `*/n`), the schedule is about elapsed time and ticks fire at both
///   occurrences, as cronie does: `0 * * * *` fires 25 times that day.
///
/// Results always have zero seconds (for zones whose offset is a whole number of minutes, i.e. all current ones).
///
/// ## Efficiency
/// ``nextFireDate(after:in:)`` never walks minute by minute: it walks the stretches between the zone's offset
/// transitions and, inside each, advances wall-clock fields from month to day to hour to minute, so a call costs
/// time proportional to the number of candidate days and transitions it passes, not minutes.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as given (trimmed of surrounding whitespace and newlines).
    public let expression: String

    /// Allowed minutes (0-59).
    let minutes: CronField
    /// Allowed hours (0-23).
    let hours: CronField
    /// Allowed days of the month (1-31).
    let daysOfMonth: CronField
    /// Allowed months (1-12).
    let months: CronField
    /// Allowed days of the week (0-6, Sunday is 0).
    let daysOfWeek: CronField

    /// Parses `expression` (a five-field expression or a macro such as `@daily`).
    ///
    /// - Parameter expression: The cron expression; surrounding whitespace is ignored.
    /// - Throws: `CronSchedule.ParseError` describing the first problem, naming the field it was found in.
    public init(parsing expression: String) throws(CronSchedule.ParseError) {
        let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = try Self.parseFields(of: trimmed)
        self.expression = trimmed
        minutes = fields.minutes
        hours = fields.hours
        daysOfMonth = fields.daysOfMonth
        months = fields.months
        daysOfWeek = fields.daysOfWeek
    }

    /// The expression as given (trimmed).
    public var description: String {
        expression
    }
}
