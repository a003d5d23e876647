import Foundation

/// A randomly generated, syntactically valid cron expression together with the values each field should select,
/// computed independently of the parser, and a brute-force oracle for its fire times.
struct RandomCronExpression: CustomStringConvertible {
    /// The text of the five fields.
    var fields: [String]
    /// The values each field selects (day-of-week uses 0-6).
    var values: [Set<Int>]

    var expression: String { fields.joined(separator: " ") }
    var description: String { expression }

    /// Whether field `index` counts as unrestricted (Vixie: its text starts with `*`).
    func isStar(_ index: Int) -> Bool { fields[index].first == "*" }

    /// Whether day-of-month/month can ever occur (what the parser must check when day-of-week starts with `*`).
    var canFire: Bool {
        guard isStar(4), !isStar(2) else { return true }
        let maximum = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return values[3].contains { month in values[2].contains { $0 <= maximum[month - 1] } }
    }

    private static let bounds = [0...59, 0...23, 1...31, 1...12, 0...7]
    private static let names: [[String]] = [
        [], [], [], ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    ]

    /// A random expression. `dense` keeps the day and month fields mostly `*` so that short windows contain fires;
    /// `nearTransitions` adds an hour between 1 and 3 to restricted hour fields.
    static func random(
        using rng: inout SplitMix64,
        dense: Bool,
        nearTransitions: Bool = false
    ) -> RandomCronExpression {
        let starChance = dense ? [0.15, 0.4, 0.6, 0.85, 0.6] : [0.1, 0.25, 0.4, 0.4, 0.4]
        var fields: [String] = []
        var values: [Set<Int>] = []
        for index in 0..<5 {
            var (text, selected) =
                Double.random(in: 0..<1, using: &rng) < starChance[index]
                ? ("*", Set(bounds[index]))
                : randomList(index, using: &rng)
            if index == 1, nearTransitions, text.first != "*" {
                let hour = Int.random(in: 1...3, using: &rng)
                text += ",\(hour)"
                selected.insert(hour)
            }
            if index == 4, selected.remove(7) != nil {
                selected.insert(0)
            }
            fields.append(text)
            values.append(selected)
        }
        return RandomCronExpression(fields: fields, values: values)
    }

    private static func randomList(_ index: Int, using rng: inout SplitMix64) -> (String, Set<Int>) {
        var texts: [String] = []
        var selected: Set<Int> = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let (text, values) = randomElement(index, using: &rng)
            texts.append(text)
            selected.formUnion(values)
        }
        return (texts.joined(separator: ","), selected)
    }

    private static func randomElement(_ index: Int, using rng: inout SplitMix64) -> (String, Set<Int>) {
        let range = bounds[index]
        func value() -> Int { Int.random(in: range, using: &rng) }
        func step() -> Int { Int.random(in: 1...max(1, range.count / 2), using: &rng) }
        func spell(_ value: Int) -> String {
            let fieldNames = names[index]
            let nameIndex = index == 3 ? value - 1 : value
            guard nameIndex < fieldNames.count, Bool.random(using: &rng) else { return String(value) }
            let name = fieldNames[nameIndex]
            return Bool.random(using: &rng) ? name : name.lowercased()
        }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:
            let step = step()
            return ("*/\(step)", Set(stride(from: range.lowerBound, through: range.upperBound, by: step)))
        case 1:
            let single = value()
            return (spell(single), [single])
        case 2, 3:
            let (low, high) = ordered(value(), value())
            if Bool.random(using: &rng) {
                return ("\(spell(low))-\(spell(high))", Set(low...high))
            }
            let step = step()
            return ("\(spell(low))-\(spell(high))/\(step)", Set(stride(from: low, through: high, by: step)))
        default:
            let (low, step) = (value(), step())
            return ("\(spell(low))/\(step)", Set(stride(from: low, through: range.upperBound, by: step)))
        }
    }

    private static func ordered(_ first: Int, _ second: Int) -> (Int, Int) {
        (min(first, second), max(first, second))
    }

    // MARK: - Brute-force oracle

    /// Whether the wall-clock minute `wall` (seconds since 1970-01-01 in local time) matches all fields.
    func matches(wall: Int, calendar: Calendar) -> Bool {
        let parts = calendar.dateComponents(
            [.minute, .hour, .day, .month, .weekday],
            from: Date(timeIntervalSince1970: TimeInterval(wall))
        )
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month,
            let weekday = parts.weekday
        else { return false }
        guard values[0].contains(minute), values[1].contains(hour), values[3].contains(month) else { return false }
        let dayOfMonth = values[2].contains(day)
        let dayOfWeek = values[4].contains(weekday - 1)
        return isStar(2) || isStar(4) ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek
    }

    /// Every fire instant (seconds since 1970) in `(start, end]`, found by visiting every minute instant, looking up
    /// its wall-clock time, and applying the gap and overlap rules directly:
    /// - an instant fires if its wall-clock minute matches, unless that wall-clock minute was already seen (the
    ///   second pass of an overlap) and the hour field is restricted;
    /// - an instant whose wall clock jumped forward fires if any skipped wall-clock minute matches.
    func oracleFires(after start: Int, through end: Int, in zone: TimeZone) -> [Int] {
        var utcCalendar = Calendar(identifier: .gregorian)
        utcCalendar.timeZone = TimeZone(identifier: "UTC")!
        let first = (start / 60) * 60 - 3 * 3_600  // Three hours earlier, to see the first pass of any overlap.
        var seen = Set<Int>()
        var previousWall: Int?
        var result: [Int] = []
        for instant in stride(from: first, through: end, by: 60) {
            let wall = instant + zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
            var fires = matches(wall: wall, calendar: utcCalendar) && (isStar(1) || !seen.contains(wall))
            if !fires, let previousWall, wall - previousWall > 60 {
                fires = stride(from: previousWall + 60, to: wall, by: 60).contains {
                    matches(wall: $0, calendar: utcCalendar)
                }
            }
            seen.insert(wall)
            previousWall = wall
            if fires, instant > start {
                result.append(instant)
            }
        }
        return result
    }
}
