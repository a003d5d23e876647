extension CronSchedule {
    /// A day of the proleptic Gregorian calendar, known both by its date and by its day number (days since
    /// 1970-01-01). Wall-clock times are handled as "local seconds": `number * 86_400 + seconds into the day`.
    ///
    /// The conversions are Howard Hinnant's `days_from_civil`/`civil_from_days` algorithms.
    struct CivilDay: Hashable {
        /// The year, for example 2026.
        private(set) var year: Int
        /// The month, 1-12.
        private(set) var month: Int
        /// The day of the month, 1-31.
        private(set) var day: Int
        /// Days since 1970-01-01.
        private(set) var number: Int

        /// The day with the given day number (days since 1970-01-01).
        init(number: Int) {
            let shifted = number + 719_468
            let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let shiftedMonth = (5 * dayOfYear + 2) / 153
            let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
            self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
            self.month = month
            self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
            self.number = number
        }

        /// The given date, which must be valid.
        init(year: Int, month: Int, day: Int) {
            let adjustedYear = month <= 2 ? year - 1 : year
            let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
            let yearOfEra = adjustedYear - era * 400
            let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            self.year = year
            self.month = month
            self.day = day
            self.number = era * 146_097 + dayOfEra - 719_468
        }

        /// The day of the week, 0 (Sunday) through 6 (Saturday). 1970-01-01 was a Thursday.
        var weekday: Int {
            ((number % 7) + 7 + 4) % 7
        }

        /// The number of days in this day's month.
        var daysInMonth: Int {
            Self.daysInMonth(year: year, month: month)
        }

        /// The number of days in `month` of `year`.
        static func daysInMonth(year: Int, month: Int) -> Int {
            switch month {
            case 2:
                let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
                return isLeap ? 29 : 28
            case 4, 6, 9, 11:
                return 30
            default:
                return 31
            }
        }

        /// Moves to the following day.
        mutating func advance() {
            number += 1
            if day < daysInMonth {
                day += 1
            } else if month < 12 {
                month += 1
                day = 1
            } else {
                year += 1
                month = 1
                day = 1
            }
        }
    }
}
