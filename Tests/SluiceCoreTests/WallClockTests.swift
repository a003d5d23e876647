import Foundation
import Testing

@testable import SluiceCore

@Suite("WallClock and Date helpers")
struct WallClockTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    @Test("ManualWallClock starts at 2026-01-01T00:00:00Z by default and stands still")
    func manualDefaultStart() {
        let clock = ManualWallClock()
        #expect(clock.now() == Self.start)
        #expect(ISO8601DateFormatter().string(from: clock.now()) == "2026-01-01T00:00:00Z")
        #expect(clock.now() == clock.now())
    }

    @Test("advance(by:) moves forward by whole and fractional durations, cumulatively")
    func manualAdvance() {
        let clock = ManualWallClock(Date(timeIntervalSinceReferenceDate: 0))
        clock.advance(by: .seconds(90))
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 90))
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 91.5))
        clock.advance(by: .zero)
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 91.5))
        clock.advance(by: .seconds(-1.5))
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 90))
        clock.advance(by: .seconds(86_400 * 365))
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 90 + 86_400 * 365))
    }

    @Test("set(_:) jumps to any instant, backwards included")
    func manualSet() {
        let clock = ManualWallClock(Self.start)
        let later = Self.start.addingTimeInterval(1_000)
        clock.set(later)
        #expect(clock.now() == later)
        clock.set(Date(timeIntervalSince1970: 0))
        #expect(clock.now() == Date(timeIntervalSince1970: 0))
        clock.advance(by: .seconds(5))
        #expect(clock.now() == Date(timeIntervalSince1970: 5))
    }

    @Test("concurrent advances are not lost")
    func manualConcurrentAdvance() async {
        let clock = ManualWallClock(Date(timeIntervalSinceReferenceDate: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { clock.advance(by: .seconds(1)) }
            }
        }
        #expect(clock.now() == Date(timeIntervalSinceReferenceDate: 200))
    }

    @Test("clocks are usable through the protocol")
    func protocolUse() {
        let clocks: [any WallClock] = [ManualWallClock(Self.start), SystemWallClock()]
        #expect(clocks[0].now() == Self.start)
        let before = Date()
        let now = clocks[1].now()
        let after = Date()
        #expect(before <= now && now <= after)
    }

    // MARK: - microseconds

    @Test(
        "roundedToMicroseconds rounds to the nearest microsecond",
        arguments: [
            (0.0, 0.0), (1.5, 1.5), (1.000_000_9, 1.000_001), (1.234_567_8, 1.234_568), (1.000_000_3, 1.0),
            (-0.000_000_4, 0.0), (-1.25, -1.25),
        ])
    func roundedSmallValues(seconds: Double, expected: Double) {
        let rounded = Date(timeIntervalSince1970: seconds).roundedToMicroseconds
        // `Date` counts from 2001, so near 1970 it resolves only ~1.2e-7 s: compare within a quarter microsecond.
        #expect(abs(rounded.timeIntervalSince1970 - expected) < 2.5e-7)
    }

    @Test(
        "microsecondsSince1970 of small instants",
        arguments: [
            (0.0, Int64(0)), (1.5, 1_500_000), (0.000_001_9, 2), (0.000_001_2, 1), (-0.000_000_4, 0),
            (-0.000_000_6, -1), (-2.0, -2_000_000),
        ])
    func microsecondsSmallValues(seconds: Double, expected: Int64) {
        #expect(Date(timeIntervalSince1970: seconds).microsecondsSince1970 == expected)
    }

    @Test("Date(microsecondsSince1970:) builds the instant")
    func fromMicroseconds() {
        #expect(Date(microsecondsSince1970: 0) == Date(timeIntervalSince1970: 0))
        #expect(Date(microsecondsSince1970: 1_500_000).timeIntervalSince1970 == 1.5)
        #expect(Date(microsecondsSince1970: 1_767_225_600_000_000) == Self.start)
    }

    @Test("rounding moves an instant by at most half a microsecond (plus Date's own resolution)")
    func roundingDistance() {
        var random = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 1.6e9...1.9e9, using: &random))
            #expect(abs(date.timeIntervalSince(date.roundedToMicroseconds)) <= 0.5e-6 + 1.3e-7)
        }
    }

    @Test("a concrete instant just below a whole microsecond rounds up to it")
    func roundingConcreteExample() {
        // 2027-12-21T09:48:51.201737881Z: the nearest whole microsecond is ...201738; a plain
        // `Int64(interval * 1_000_000)` would be thrown off by the product's rounding.
        let date = Date(timeIntervalSinceReferenceDate: 851_075_331.201_737_9)
        #expect(date.microsecondsSince1970 == 1_829_382_531_201_738)
        #expect(abs(date.roundedToMicroseconds.timeIntervalSince(date)) <= 0.5e-6)
    }

    @Test("microsecondsSince1970 round-trips through Date(microsecondsSince1970:) for present-day instants")
    func microsecondRoundTrip() {
        var random = SplitMix64(seed: 12_345)
        var failures: [Int64] = []
        for _ in 0..<10_000 {
            let micros = Int64.random(in: 1_600_000_000_000_000...1_900_000_000_000_000, using: &random)
            if Date(microsecondsSince1970: micros).microsecondsSince1970 != micros { failures.append(micros) }
        }
        #expect(failures.isEmpty, "\(failures.count) of 10000 lost a microsecond, e.g. \(failures.prefix(3))")
    }

    @Test("roundedToMicroseconds is idempotent and agrees with microsecondsSince1970")
    func roundingIdempotent() {
        var random = SplitMix64(seed: 777)
        var failures: [Double] = []
        for _ in 0..<10_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 1.6e9...1.9e9, using: &random))
            let once = date.roundedToMicroseconds
            if once.roundedToMicroseconds != once
                || Date(microsecondsSince1970: date.microsecondsSince1970) != once
            {
                failures.append(date.timeIntervalSince1970)
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of 10000 failed, e.g. \(failures.prefix(3))")
    }
}
