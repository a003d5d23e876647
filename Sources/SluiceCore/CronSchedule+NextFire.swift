import Foundation

extension CronSchedule {
    /// How far ahead ``nextFireDate(after:in:)`` searches: 401 years. Every schedule that parses fires within one
    /// 400-year Gregorian cycle (the cycle is a whole number of weeks, so every possible date falls on every weekday).
    static let searchHorizon = 401 * 366 * 86_400

    /// The first fire instant strictly after `date`, evaluating the fields as wall-clock time in `timeZone`.
    ///
    /// Daylight-saving gaps and overlaps are handled as described in ``CronSchedule``: ticks inside a gap fire once,
    /// at the transition instant; ticks inside an overlap fire at their first occurrence only, unless the hour
    /// field is unrestricted (starts with `*`), in which case they fire at both occurrences.
    ///
    /// - Parameters:
    ///   - date: The instant to search after; the result is strictly later.
    ///   - timeZone: The zone whose wall-clock time the fields describe.
    /// - Returns: The next fire instant, with zero seconds. Returns nil only if no fire time exists within the
    ///   search horizon (cannot happen for a schedule that parsed, unless `date` is absurdly far from the present).
    public func nextFireDate(after date: Date, in timeZone: TimeZone) -> Date? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 1e12 else { return nil }
        let start = Int(interval.rounded(.down))
        let end = start + Self.searchHorizon

        // Walk the stretches of constant UTC offset between transitions. In each stretch wall-clock time is
        // `instant + offset`, so the first tick of the stretch is found in wall-clock terms and converted back.
        var segmentStart = start
        var offset = timeZone.secondsFromGMT(for: Self.date(start))
        var wallLow = Self.floorDiv(start + offset, 60) * 60 + 60
        if !hours.isStar, let repeatedUntil = repeatedWallTimeEnd(atOrBefore: start, in: timeZone) {
            wallLow = max(wallLow, repeatedUntil)
        }
        while segmentStart < end {
            var transition = timeZone.nextDaylightSavingTimeTransition(after: Self.date(segmentStart)).map(Self.seconds)
            if let found = transition, found <= segmentStart || found >= end {
                transition = nil
            }
            let segmentEnd = transition ?? end
            if let wall = firstTick(atOrAfter: wallLow, before: segmentEnd + offset) {
                return Self.date(wall - offset)
            }
            guard let transition else { return nil }
            let newOffset = timeZone.secondsFromGMT(for: Self.date(transition))
            // Spring forward: wall times [transition + offset, transition + newOffset) never happen; any tick
            // among them fires once, at the transition instant.
            if newOffset > offset, firstTick(atOrAfter: transition + offset, before: transition + newOffset) != nil {
                return Self.date(transition)
            }
            wallLow = Self.ceilToMinute(transition + newOffset)
            // Fall back: wall times [transition + newOffset, transition + offset) happen a second time. A schedule
            // with a restricted hour field already fired for them, so it skips them now.
            if newOffset < offset, !hours.isStar {
                wallLow = max(wallLow, Self.ceilToMinute(transition + offset))
            }
            offset = newOffset
            segmentStart = transition
        }
        return nil
    }

    /// If the instant `instant` lies in the second pass of a fall-back overlap, the wall-clock time (local seconds)
    /// at which the overlap ends; otherwise nil. Looks at the last transition within two days before `instant`.
    private func repeatedWallTimeEnd(atOrBefore instant: Int, in timeZone: TimeZone) -> Int? {
        var probe = instant - 2 * 86_400
        var previous: Int?
        while let next = timeZone.nextDaylightSavingTimeTransition(after: Self.date(probe)).map(Self.seconds),
            next > probe, next <= instant
        {
            previous = next
            probe = next
        }
        guard let previous else { return nil }
        let before = timeZone.secondsFromGMT(for: Self.date(previous - 1))
        let after = timeZone.secondsFromGMT(for: Self.date(previous))
        return before > after ? Self.ceilToMinute(previous + before) : nil
    }

    /// The earliest wall-clock minute (local seconds, see ``CivilDay``) in `[lower, upper)` whose fields all match.
    ///
    /// Advances field-wise: skips whole months that are not allowed, then days that do not match, then hours,
    /// then minutes, so the cost is proportional to the number of days inspected.
    func firstTick(atOrAfter lower: Int, before upper: Int) -> Int? {
        let lowerMinute = Self.ceilToMinute(lower)
        guard lowerMinute < upper else { return nil }
        var day = CivilDay(number: Self.floorDiv(lowerMinute, 86_400))
        let secondOfDay = lowerMinute - day.number * 86_400
        var hour = secondOfDay / 3_600
        var minute = secondOfDay % 3_600 / 60
        while day.number * 86_400 < upper {
            if !months.contains(day.month) {
                if let month = months.next(atOrAfter: day.month + 1) {
                    day = CivilDay(year: day.year, month: month, day: 1)
                } else {
                    day = CivilDay(year: day.year + 1, month: months.first, day: 1)
                }
            } else if dayMatches(day) {
                while let matchingHour = hours.next(atOrAfter: hour) {
                    if matchingHour != hour {
                        hour = matchingHour
                        minute = 0
                    }
                    if let matchingMinute = minutes.next(atOrAfter: minute) {
                        let wall = day.number * 86_400 + hour * 3_600 + matchingMinute * 60
                        return wall < upper ? wall : nil
                    }
                    hour += 1
                    minute = 0
                }
                day.advance()
            } else {
                day.advance()
            }
            hour = 0
            minute = 0
        }
        return nil
    }

    /// Whether `day` matches the day-of-month, day-of-week pair under the Vixie rule.
    func dayMatches(_ day: CivilDay) -> Bool {
        let dayOfMonthMatches = daysOfMonth.contains(day.day)
        let dayOfWeekMatches = daysOfWeek.contains(day.weekday)
        if daysOfMonth.isStar || daysOfWeek.isStar {
            return dayOfMonthMatches && dayOfWeekMatches
        }
        return dayOfMonthMatches || dayOfWeekMatches
    }

    private static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    private static func floorDiv(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func ceilToMinute(_ seconds: Int) -> Int {
        -floorDiv(-seconds, 60) * 60
    }
}
