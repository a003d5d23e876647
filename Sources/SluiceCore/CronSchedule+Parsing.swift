extension CronSchedule {
    /// The five parsed fields of an expression.
    struct Fields {
        var minutes: CronField
        var hours: CronField
        var daysOfMonth: CronField
        var months: CronField
        var daysOfWeek: CronField
    }

    /// Macro names (lower-case; they are matched case-insensitively) and the five-field expressions they stand for.
    public static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// The most days each month can have (February: 29, in leap years).
    static let maximumDaysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// Parses a trimmed expression into its fields.
    static func parseFields(of expression: String) throws(ParseError) -> Fields {
        guard !expression.isEmpty else {
            throw ParseError(message: "expression is empty")
        }
        if expression.hasPrefix("@") {
            guard let expansion = macros[expression.lowercased()] else {
                throw ParseError(message: "unknown macro \"\(expression)\"")
            }
            return try parseFields(of: expansion)
        }
        let texts = expression.split { $0 == " " || $0 == "\t" }
        guard texts.count == 5 else {
            throw ParseError(
                message: "expected 5 fields (minute hour day-of-month month day-of-week) but found \(texts.count)"
            )
        }
        let fields = Fields(
            minutes: try CronField(parsing: texts[0], kind: .minute),
            hours: try CronField(parsing: texts[1], kind: .hour),
            daysOfMonth: try CronField(parsing: texts[2], kind: .dayOfMonth),
            months: try CronField(parsing: texts[3], kind: .month),
            daysOfWeek: try CronField(parsing: texts[4], kind: .dayOfWeek)
        )
        try checkDaysCanOccur(fields, dayOfMonthText: texts[2], monthText: texts[3])
        return fields
    }

    /// Rejects day-of-month/month combinations that never occur when the day-of-week field cannot rescue them.
    ///
    /// When day-of-week starts with `*` a day must match day-of-month, so some selected day must exist in some
    /// selected month (February counts 29 days). When both day fields are restricted, any matching weekday fires,
    /// and when day-of-month starts with `*` it includes the 1st, so neither case can be impossible.
    private static func checkDaysCanOccur(
        _ fields: Fields,
        dayOfMonthText: Substring,
        monthText: Substring
    ) throws(ParseError) {
        guard fields.daysOfWeek.isStar, !fields.daysOfMonth.isStar else { return }
        let earliestDay = fields.daysOfMonth.first
        let possible = fields.months.values.contains { earliestDay <= maximumDaysInMonth[$0 - 1] }
        guard possible else {
            throw CronField.error(
                .dayOfMonth,
                "\"\(dayOfMonthText)\" never occurs in the months \"\(monthText)\", so the schedule could never fire"
            )
        }
    }
}
