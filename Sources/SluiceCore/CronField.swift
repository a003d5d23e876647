/// The set of values one field of a ``CronSchedule`` allows, stored as a bitmask.
///
/// Bit `v` of ``mask`` is set when value `v` is allowed. For the day-of-week field the value 7 (an alias for Sunday)
/// is folded into 0 when the field is parsed, so only bits 0-6 are ever set there.
struct CronField: Sendable, Hashable {
    /// Which of the five positions of a cron expression a field occupies.
    enum Kind: Int, Sendable, Hashable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        /// The name used in parse-error messages.
        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values that may be written in the field (7 is accepted as Sunday in the day-of-week field).
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Upper-case three-letter names accepted in place of numbers, if any.
        var names: [String: Int] {
            switch self {
            case .month:
                let names = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
                return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset + 1) })
            case .dayOfWeek:
                let names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
                return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            case .minute, .hour, .dayOfMonth:
                return [:]
            }
        }
    }

    /// The position of this field in the expression.
    let kind: Kind
    /// Bit `v` is set iff value `v` is allowed.
    let mask: UInt64
    /// Whether the field as written starts with `*`. Following Vixie cron, such a field counts as "unrestricted"
    /// for the day-of-month/day-of-week rule and (here) for the daylight-saving overlap rule, even when a step
    /// such as `*/2` removes values.
    let isStar: Bool

    /// Whether `value` is allowed.
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && mask & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value that is `>= value`, or `nil` if there is none.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = value <= 0 ? mask : mask & (UInt64.max << UInt64(value))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// The smallest allowed value.
    var first: Int {
        mask.trailingZeroBitCount
    }

    /// All allowed values in ascending order.
    var values: [Int] {
        (0..<64).filter(contains)
    }
}
