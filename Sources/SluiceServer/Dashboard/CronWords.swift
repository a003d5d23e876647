import Foundation

/// Cron expressions in words, for people: "every day at 06:00 Europe/Berlin". Common shapes get a sentence;
/// anything else is shown as the expression itself.
enum CronWords {
    private static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// `expression` (valid cron) in words, followed by the time zone's identifier.
    static func describe(_ expression: String, timeZone: String) -> String {
        "\(phrase(expression)) \(timeZone)"
    }

    static func phrase(_ expression: String) -> String {
        let text = macros[expression.lowercased()] ?? expression
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else { return "on cron \(expression)" }
        let (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        if hour == "*" && dayOfMonth == "*" && month == "*" && dayOfWeek == "*" {
            if minute == "*" { return "every minute" }
            if let step = stepOfEvery(minute) { return "every \(step) minutes" }
            if let value = Int(minute) { return "every hour at :\(twoDigits(value))" }
        }
        if let step = stepOfEvery(hour), let value = Int(minute), dayOfMonth == "*", month == "*", dayOfWeek == "*" {
            return "every \(step) hours at :\(twoDigits(value))"
        }
        guard let times = times(minute: minute, hour: hour), month == "*" else { return "on cron \(expression)" }
        switch (dayOfMonth, dayOfWeek) {
        case ("*", "*"): return "every day at \(times)"
        case ("*", _):
            guard let days = weekdays(dayOfWeek) else { return "on cron \(expression)" }
            return "every \(days) at \(times)"
        case (_, "*"):
            guard let day = Int(dayOfMonth) else { return "on cron \(expression)" }
            return "on day \(day) of every month at \(times)"
        default: return "on cron \(expression)"
        }
    }

    private static func stepOfEvery(_ field: String) -> Int? {
        guard field.hasPrefix("*/"), let step = Int(field.dropFirst(2)), step > 1 else { return nil }
        return step
    }

    /// "06:00" or "06:00 and 18:30" for plain minute and hour lists.
    private static func times(minute: String, hour: String) -> String? {
        let minutes = minute.split(separator: ",").compactMap { Int($0) }
        let hours = hour.split(separator: ",").compactMap { Int($0) }
        guard minutes.count == minute.split(separator: ",").count, hours.count == hour.split(separator: ",").count,
            !minutes.isEmpty, !hours.isEmpty, minutes.count * hours.count <= 4
        else { return nil }
        let all = hours.flatMap { hour in minutes.map { "\(twoDigits(hour)):\(twoDigits($0))" } }
        return list(all)
    }

    /// "weekday", "Monday and Friday" for day-of-week lists of days, names and ranges.
    private static func weekdays(_ field: String) -> String? {
        var numbers: [Int] = []
        for part in field.uppercased().split(separator: ",") {
            let bounds = part.split(separator: "-").map(String.init)
            let values = bounds.compactMap { Int($0) ?? dayNames.firstIndex(of: $0) }
            guard values.count == bounds.count, values.allSatisfy({ (0...7).contains($0) }) else { return nil }
            if values.count == 2, values[0] <= values[1] {
                numbers += Array(values[0]...values[1])
            } else if values.count == 1 {
                numbers += values
            } else {
                return nil
            }
        }
        let unique = Array(Set(numbers.map { $0 % 7 })).sorted()
        if unique == [1, 2, 3, 4, 5] { return "weekday" }
        if unique == [0, 6] { return "Saturday and Sunday" }
        return list(unique.map { days[$0] })
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
