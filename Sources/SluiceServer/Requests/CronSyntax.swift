import Foundation
import SluiceCore

/// The cron expressions the OpenAPI document promises the server accepts, as a pattern.
///
/// It is a subset of what `CronSchedule` parses, chosen so that every string it matches parses. It allows a macro,
/// or five fields separated by spaces. Each field is a comma-separated list of `*`, a value, `*/step` or
/// `value/step`, with values in the field's range, no leading zeros, days of the month up to 28 (every month has
/// them) and steps no wider than the field. The server also takes ranges, month and weekday names, leading zeros and
/// days 29 to 31; the document's description says so, and the server reports what it refuses, naming `cron`.
enum CronSyntax {
    /// The pattern, anchored at both ends.
    static let documented: String = {
        let fields = [
            field(value: "[0-9]|[1-5][0-9]", step: "[1-9]|[1-5][0-9]|60"),  // minute 0-59, steps to 60
            field(value: "[0-9]|1[0-9]|2[0-3]", step: "[1-9]|1[0-9]|2[0-4]"),  // hour 0-23, steps to 24
            field(value: "[1-9]|1[0-9]|2[0-8]", step: "[1-9]|[12][0-9]|3[01]"),  // day 1-28, steps to 31
            field(value: "[1-9]|1[0-2]", step: "[1-9]|1[0-2]"),  // month 1-12
            field(value: "[0-7]", step: "[1-8]"),  // weekday 0-7 (7 is Sunday)
        ]
        let macros = CronSchedule.macros.keys.sorted().joined(separator: "|")
        return "^(\(macros)|\(fields.joined(separator: " +")))$"
    }()

    private static func field(value: String, step: String) -> String {
        let item = #"(\*|"# + value + ")(/(" + step + "))?"
        return "(\(item))(,(\(item)))*"
    }
}
