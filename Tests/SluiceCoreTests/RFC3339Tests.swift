import Foundation
import SluiceCore
import Testing

@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test(
        "valid times parse to the instant they name",
        arguments: [
            ("2026-12-01T06:00:00Z", 1_796_104_800.0),
            ("2026-12-01T08:00:00+02:00", 1_796_104_800.0),
            ("2026-12-01t01:30:00-04:30", 1_796_104_800.0),
            ("2026-12-01T06:00:00.250Z", 1_796_104_800.25),
            ("2024-02-29T00:00:00Z", 1_709_164_800.0),
            ("1970-01-01T00:00:00Z", 0.0),
            ("9999-12-31T23:59:59Z", 253_402_300_799.0),
        ])
    func valid(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(
        "impossible or malformed times are refused, never rolled over",
        arguments: [
            "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-12-01T24:00:00Z",
            "2026-12-01T06:60:00Z", "2026-12-01T06:00:60Z", "2026-12-01T06:00:00+25:00", "2026-12-01T06:00:00+02:60",
            "2026-12-01T06:00:00", "2026-12-01 06:00:00Z", "2026-12-01T06:00:00.Z", "2026-12-01T06:00:00Z ",
            "2026-12-01", "", "2026-12-01T06:00:00.1234567891Z", "２026-12-01T06:00:00Z", "2026-12-01T06:00:00\u{0}Z",
        ])
    func invalid(text: String) {
        #expect(RFC3339.parse(text) == nil, "\(text) was accepted")
    }

    @Test("agrees with Foundation on every valid day of a leap and a common year")
    func agreesWithFoundation() throws {
        for year in [2024, 2026] {
            for month in 1...12 {
                for day in 1...31 {
                    let text = String(format: "%04d-%02d-%02dT12:34:56Z", year, month, day)
                    let expected = try? Date(text, strategy: .iso8601)
                    let parsed = RFC3339.parse(text)
                    let roundTrips = expected.map { $0.formatted(.iso8601) == text } ?? false
                    #expect(parsed == (roundTrips ? expected : nil), "\(text)")
                }
            }
        }
    }
}
