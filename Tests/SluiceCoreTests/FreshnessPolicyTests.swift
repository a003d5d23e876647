import Foundation
import Testing

@testable import SluiceCore

@Suite("FreshnessPolicy and Dataset")
struct FreshnessPolicyTests {
    static let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)
    static let brand = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
    static let hour = 3_600.0
    static let day = 86_400.0

    /// A record whose times are offsets in seconds from `t0`.
    static func record(attempt: Double? = nil, success: Double? = nil, failure: Double? = nil) -> DatasetRefreshRecord {
        DatasetRefreshRecord(
            brandID: brand, dataset: "competitor_ads", lastAttemptAt: attempt.map(t0.addingTimeInterval),
            lastSuccessAt: success.map(t0.addingTimeInterval), lastFailureAt: failure.map(t0.addingTimeInterval),
            lastError: failure == nil ? nil : "boom", rowsWritten: success == nil ? nil : 10, lastRunID: 1)
    }

    /// Warn after 1 hour, fail after 1 day.
    static func policy() throws -> FreshnessPolicy {
        try FreshnessPolicy(warnAfter: .seconds(3_600), failAfter: .seconds(86_400))
    }

    struct StateCase: Sendable, CustomTestStringConvertible {
        let summary: String
        let record: DatasetRefreshRecord?
        /// Seconds after `t0`.
        let now: Double
        let expected: FreshnessState

        var testDescription: String { summary }
    }

    static let stateCases: [StateCase] = [
        StateCase(summary: "no record", record: nil, now: 0, expected: .unknown),
        StateCase(summary: "empty record", record: record(), now: 0, expected: .unknown),
        StateCase(summary: "attempt only, not running", record: record(attempt: 0), now: 5, expected: .unknown),
        StateCase(summary: "attempt only, long ago", record: record(attempt: 0), now: 10 * day, expected: .unknown),
        StateCase(summary: "fresh success", record: record(success: 0), now: 60, expected: .fresh),
        StateCase(summary: "success just now", record: record(success: 0), now: 0, expected: .fresh),
        StateCase(summary: "success in the future (skew)", record: record(success: 60), now: 0, expected: .fresh),
        StateCase(summary: "exactly at warnAfter", record: record(success: 0), now: hour, expected: .fresh),
        StateCase(summary: "just past warnAfter", record: record(success: 0), now: hour + 0.001, expected: .stale),
        StateCase(summary: "well past warnAfter", record: record(success: 0), now: 12 * hour, expected: .stale),
        StateCase(summary: "exactly at failAfter", record: record(success: 0), now: day, expected: .stale),
        StateCase(summary: "just past failAfter", record: record(success: 0), now: day + 0.001, expected: .failing),
        StateCase(summary: "long past failAfter", record: record(success: 0), now: 365 * day, expected: .failing),
        StateCase(
            summary: "failure after success", record: record(success: 0, failure: 10), now: 20, expected: .failing),
        StateCase(
            summary: "failure at the same instant as success", record: record(success: 0, failure: 0), now: 1,
            expected: .failing),
        StateCase(
            summary: "success after failure", record: record(success: 10, failure: 0), now: 20, expected: .fresh),
        StateCase(
            summary: "success after failure, aged past warnAfter", record: record(success: 10, failure: 0),
            now: 10 + 2 * hour, expected: .stale),
        StateCase(
            summary: "attempt after success, not running", record: record(attempt: 100, success: 0), now: 200,
            expected: .fresh),
        StateCase(
            summary: "attempt after a success that is old", record: record(attempt: 2 * day, success: 0),
            now: 3 * day, expected: .failing),
        StateCase(
            summary: "attempt after failure, not running", record: record(attempt: 100, success: 0, failure: 50),
            now: 200, expected: .failing),
        StateCase(
            summary: "attempt equal to success time", record: record(attempt: 0, success: 0), now: 10,
            expected: .fresh),
        StateCase(
            summary: "attempt equal to failure time", record: record(attempt: 0, failure: 0), now: 10,
            expected: .failing),
        StateCase(
            summary: "attempt before success (it ended)", record: record(attempt: 0, success: 30), now: 40,
            expected: .fresh),
        StateCase(
            summary: "attempt before failure, which came after success",
            record: record(attempt: 20, success: 0, failure: 30), now: 40, expected: .failing),
        StateCase(summary: "never succeeded but failed", record: record(failure: 0), now: 10, expected: .failing),
        StateCase(
            summary: "never succeeded, attempt then failure", record: record(attempt: 0, failure: 5), now: 10,
            expected: .failing),
    ]

    @Test("state(of:at:)", arguments: stateCases)
    func state(testCase: StateCase) throws {
        let state = try Self.policy().state(of: testCase.record, at: Self.t0.addingTimeInterval(testCase.now))
        #expect(state == testCase.expected)
    }

    @Test("a running producer makes any dataset refreshing, whatever its record", arguments: stateCases)
    func refreshingWins(testCase: StateCase) throws {
        let state = try Self.policy().state(
            of: testCase.record, refreshing: true, at: Self.t0.addingTimeInterval(testCase.now))
        #expect(state == .refreshing)
    }

    @Test("without failAfter a dataset is never failing by age, only stale")
    func noFailAfter() throws {
        let policy = try FreshnessPolicy(warnAfter: .seconds(60))
        #expect(policy.rule == .maximumAge(warnAfter: .seconds(60), failAfter: nil))
        let record = Self.record(success: 0)
        #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(60)) == .fresh)
        for age in [61.0, Self.day, 10_000 * Self.day] {
            #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(age)) == .stale)
        }
        // A failure still makes it failing.
        #expect(policy.state(of: Self.record(success: 0, failure: 1), at: Self.t0.addingTimeInterval(2)) == .failing)
    }

    @Test("sub-second policies compare fractional ages")
    func fractionalPolicy() throws {
        let policy = try FreshnessPolicy(warnAfter: .milliseconds(500), failAfter: .milliseconds(1500))
        let record = Self.record(success: 0)
        #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(0.5)) == .fresh)
        #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(0.75)) == .stale)
        #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(1.5)) == .stale)
        #expect(policy.state(of: record, at: Self.t0.addingTimeInterval(1.75)) == .failing)
    }

    // MARK: - init validation

    @Test(
        "valid policies keep their durations",
        arguments: [
            (Duration.seconds(1), Duration?.none), (.seconds(60), .seconds(60)), (.seconds(60), .seconds(3600)),
            (.milliseconds(1), .none),
        ])
    func validPolicy(warnAfter: Duration, failAfter: Duration?) throws {
        let policy = try FreshnessPolicy(warnAfter: warnAfter, failAfter: failAfter)
        #expect(policy.rule == .maximumAge(warnAfter: warnAfter, failAfter: failAfter))
    }

    @Test(
        "invalid policies name the offending field",
        arguments: [
            (Duration.zero, Duration?.none, "warn_after", "must be positive"),
            (.seconds(-1), .none, "warn_after", "must be positive"),
            (.zero, .seconds(10), "warn_after", "must be positive"),
            (.seconds(-5), .seconds(-10), "warn_after", "must be positive"),
            (.seconds(60), .seconds(59), "fail_after", "must be at least warn_after"),
            (.seconds(60), .zero, "fail_after", "must be at least warn_after"),
            (.seconds(60), .seconds(-60), "fail_after", "must be at least warn_after"),
        ])
    func invalidPolicy(warnAfter: Duration, failAfter: Duration?, field: String, message: String) throws {
        let error = try #require(throws: SluiceError.self) {
            try FreshnessPolicy(warnAfter: warnAfter, failAfter: failAfter)
        }
        #expect(error.code == .invalidArgument)
        #expect(error.field == field)
        #expect(error.message == message)
    }

    @Test("FreshnessState raw values")
    func stateRawValues() {
        #expect(FreshnessState.allCases.map(\.rawValue) == ["fresh", "stale", "failing", "unknown", "refreshing"])
    }

    // MARK: - Dataset

    @Test("a well-formed dataset keeps its fields; its id is its name")
    func validDataset() throws {
        let policy = try Self.policy()
        let dataset = try Dataset(
            name: "competitor_ads", label: "Competitor Ads", producedBy: "competitor_scrape", policy: policy)
        #expect(dataset.id == "competitor_ads")
        #expect(dataset.name == "competitor_ads")
        #expect(dataset.label == "Competitor Ads")
        #expect(dataset.producedBy == "competitor_scrape")
        #expect(dataset.policy == policy)
    }

    @Test(
        "dataset validation names name or label",
        arguments: [
            ("Competitor Ads", "Competitor Ads", "name", Identifier.rule),
            ("", "Label", "name", Identifier.rule),
            ("1ads", "Label", "name", Identifier.rule),
            ("competitor-ads", "Label", "name", Identifier.rule),
            ("competitor_ads", "", "label", "must not be empty"),
            ("Bad", "", "name", Identifier.rule),
        ])
    func invalidDataset(name: String, label: String, field: String, message: String) throws {
        let policy = try Self.policy()
        let error = try #require(throws: SluiceError.self) {
            try Dataset(name: name, label: label, producedBy: "competitor_scrape", policy: policy)
        }
        #expect(error.code == .invalidArgument)
        #expect(error.field == field)
        #expect(error.message == message)
    }
}
