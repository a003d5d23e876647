import Foundation
import Testing

@testable import SluiceCore

@Suite("CronSchedule properties (seeded random)")
struct CronSchedulePropertyTests {
    static let zoneIDs = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
    static let transitionZoneIDs = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
    /// 2020-01-01T00:00Z ..< 2030-01-01T00:00Z.
    static let instants = 1_577_836_800..<1_893_456_000

    /// A random expression that parses, with its schedule.
    private func randomSchedule(
        using rng: inout SplitMix64,
        dense: Bool,
        nearTransitions: Bool = false
    ) throws -> (RandomCronExpression, CronSchedule) {
        while true {
            let random = RandomCronExpression.random(using: &rng, dense: dense, nearTransitions: nearTransitions)
            guard random.canFire else {
                #expect(throws: CronSchedule.ParseError.self, "\(random)") {
                    try CronSchedule(parsing: random.expression)
                }
                continue
            }
            return (random, try CronSchedule(parsing: random.expression))
        }
    }

    private func randomZone(using rng: inout SplitMix64, from ids: [String] = zoneIDs) -> TimeZone {
        CronTestSupport.zone(ids[Int.random(in: 0..<ids.count, using: &rng)])
    }

    private func randomInstant(using rng: inout SplitMix64) -> Date {
        let seconds = Int.random(in: Self.instants, using: &rng)
        let fraction = Bool.random(using: &rng) ? Double.random(in: 0..<1, using: &rng) : 0
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    private func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    @Test func parserSelectsTheGeneratedValues() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<500 {
            let (random, schedule) = try randomSchedule(using: &rng, dense: false)
            let parsed = [schedule.minutes, schedule.hours, schedule.daysOfMonth, schedule.months, schedule.daysOfWeek]
            #expect(parsed.map { Set($0.values) } == random.values, "\(random)")
            #expect(parsed.map(\.isStar) == (0..<5).map(random.isStar), "\(random)")
        }
    }

    @Test func nextIsStrictlyLaterWithZeroSecondsAndMatchesTheFields() throws {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<1_000 {
            let (random, schedule) = try randomSchedule(using: &rng, dense: false)
            let zone = randomZone(using: &rng)
            let start = randomInstant(using: &rng)
            let next = try #require(schedule.nextFireDate(after: start, in: zone), "\(random) \(start)")
            #expect(next > start, "\(random) in \(zone.identifier) after \(start)")
            #expect(seconds(next) % 60 == 0, "\(random) in \(zone.identifier) after \(start)")
            // Either its own wall-clock time matches, or it is a transition that skipped a matching time.
            let wall = seconds(next) + zone.secondsFromGMT(for: next)
            var utcCalendar = Calendar(identifier: .gregorian)
            utcCalendar.timeZone = CronTestSupport.zone("UTC")
            let isTransition = zone.secondsFromGMT(for: next.addingTimeInterval(-1)) != zone.secondsFromGMT(for: next)
            #expect(random.matches(wall: wall, calendar: utcCalendar) || isTransition, "\(random) → \(next)")
        }
    }

    @Test func nextIsMonotonic() throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<300 {
            let (random, schedule) = try randomSchedule(using: &rng, dense: false)
            let zone = randomZone(using: &rng)
            var previous = randomInstant(using: &rng)
            for _ in 0..<5 {
                let next = try #require(schedule.nextFireDate(after: previous, in: zone))
                #expect(next > previous, "\(random) in \(zone.identifier) after \(previous)")
                previous = next
            }
        }
    }

    /// Compares repeated `nextFireDate` with the brute-force oracle over a three-day window; returns the oracle's
    /// fire instants.
    @discardableResult
    private func compareWithOracle(
        _ random: RandomCronExpression,
        _ schedule: CronSchedule,
        start: Int,
        zone: TimeZone
    ) -> [Int] {
        let end = start + 3 * 86_400
        let expected = random.oracleFires(after: start, through: end, in: zone)
        let startDate = Date(timeIntervalSince1970: TimeInterval(start))
        let endDate = Date(timeIntervalSince1970: TimeInterval(end))
        let actual = CronTestSupport.fires(of: schedule, after: startDate, through: endDate, in: zone).map(seconds)
        guard actual != expected else { return expected }
        let common = min(actual.count, expected.count)
        let firstDifference = (0..<common).first { actual[$0] != expected[$0] } ?? common
        func show(_ list: [Int]) -> String {
            list.dropFirst(firstDifference).prefix(3).map {
                CronTestSupport.local(Date(timeIntervalSince1970: TimeInterval($0)), in: zone)
            }.joined(separator: ", ")
        }
        Issue.record(
            """
            \(random) in \(zone.identifier) after \(start): \(actual.count) fires vs oracle \(expected.count); \
            from #\(firstDifference): actual [\(show(actual))] oracle [\(show(expected))]
            """
        )
        return expected
    }

    @Test func matchesBruteForceOracleInRandomWindows() throws {
        var rng = SplitMix64(seed: 0x5EED_0004)
        var windowsWithFires = 0
        for _ in 0..<60 {
            let (random, schedule) = try randomSchedule(using: &rng, dense: true)
            let zone = randomZone(using: &rng)
            let start = Int.random(in: Self.instants, using: &rng)
            windowsWithFires += compareWithOracle(random, schedule, start: start, zone: zone).isEmpty ? 0 : 1
        }
        #expect(windowsWithFires >= 40)
    }

    @Test func matchesBruteForceOracleAroundTransitions() throws {
        var rng = SplitMix64(seed: 0x5EED_0005)
        var firesNearTransitions = 0
        for _ in 0..<90 {
            let (random, schedule) = try randomSchedule(using: &rng, dense: true, nearTransitions: true)
            let zone = randomZone(using: &rng, from: Self.transitionZoneIDs)
            let year = CronTestSupport.utc(Int.random(in: 2020...2029, using: &rng), 1, 1)
            var transition = try #require(zone.nextDaylightSavingTimeTransition(after: year))
            if Bool.random(using: &rng) {
                transition = try #require(zone.nextDaylightSavingTimeTransition(after: transition))
            }
            let start = seconds(transition) - Int.random(in: 0...(2 * 86_400), using: &rng)
            let fires = compareWithOracle(random, schedule, start: start, zone: zone)
            firesNearTransitions += fires.contains { abs($0 - seconds(transition)) <= 3_600 } ? 1 : 0
        }
        // Make sure the sample really exercises gaps and overlaps.
        #expect(firesNearTransitions >= 30)
    }

    @Test func everyMinuteMatchesOracleAcrossEachTransitionOf2026() throws {
        let random = RandomCronExpression(
            fields: ["*", "*", "*", "*", "*"],
            values: [
                Set(0...59), Set(0...23), Set(1...31), Set(1...12), Set(0...6),
            ])
        let schedule = try CronSchedule(parsing: random.expression)
        for zoneID in Self.transitionZoneIDs {
            let zone = CronTestSupport.zone(zoneID)
            var transition = CronTestSupport.utc(2026, 1, 1)
            for _ in 0..<2 {
                transition = try #require(zone.nextDaylightSavingTimeTransition(after: transition))
                compareWithOracle(random, schedule, start: seconds(transition) - 86_400, zone: zone)
            }
        }
    }

    @Test func splitMix64IsDeterministic() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let firstValues = (0..<8).map { _ in first.next() }
        #expect(firstValues == (0..<8).map { _ in second.next() })
        #expect(Set(firstValues).count == 8)
    }
}
