import Foundation

/// When a dataset counts as fresh: either a maximum age of its last successful refresh, or a cron deadline by which
/// it must have been refreshed (with a lookback window before each deadline).
///
/// ```swift
/// let byAge = try FreshnessPolicy(warnAfter: .seconds(3_600), failAfter: .seconds(86_400))
/// let byDeadline = FreshnessPolicy(deadline: try CronDeadline(cron: "0 10 * * *", timeZone: "Europe/Berlin",
///                                                              lookback: .seconds(3_600)))
/// let state = byAge.state(of: record, refreshing: false, at: now)
/// ```
public struct FreshnessPolicy: Sendable, Hashable {
    /// How freshness is judged.
    public enum Rule: Sendable, Hashable {
        /// Stale past `warnAfter` since the last success; failing past `failAfter`, if set.
        case maximumAge(warnAfter: Duration, failAfter: Duration?)
        /// Stale while a deadline's window is open and the dataset was not refreshed in it; failing once a deadline
        /// passed without a refresh in its window.
        case cronDeadline(CronDeadline)
    }

    /// The rule.
    public let rule: Rule

    /// Creates a maximum-age policy.
    /// - Throws: ``SluiceError/Code/invalidArgument`` when a duration is not positive or `failAfter < warnAfter`.
    public init(warnAfter: Duration, failAfter: Duration? = nil) throws(SluiceError) {
        guard warnAfter > .zero else { throw .invalidArgument("warn_after", "must be positive") }
        if let failAfter, failAfter < warnAfter {
            throw .invalidArgument("fail_after", "must be at least warn_after")
        }
        rule = .maximumAge(warnAfter: warnAfter, failAfter: failAfter)
    }

    /// Creates a cron-deadline policy.
    public init(deadline: CronDeadline) { rule = .cronDeadline(deadline) }

    /// The state of a dataset with refresh record `record` at `now`, in this order:
    ///
    /// - `refreshing`: a producing run is active (`refreshing`);
    /// - `failing`: the last attempt failed (its failure is at least as recent as the last success);
    /// - `unknown`: it never succeeded;
    /// - then by the rule: `fresh`, `stale` or `failing` (see ``Rule``).
    public func state(of record: DatasetRefreshRecord?, refreshing: Bool = false, at now: Date) -> FreshnessState {
        if refreshing { return .refreshing }
        guard let record else { return .unknown }
        if record.lastAttemptFailed { return .failing }
        guard let success = record.lastSuccessAt else { return .unknown }
        switch rule {
        case .maximumAge(let warnAfter, let failAfter):
            let age = now.timeIntervalSince(success)
            if let failAfter, age > failAfter.seconds { return .failing }
            return age > warnAfter.seconds ? .stale : .fresh
        case .cronDeadline(let deadline):
            return deadline.state(lastSuccess: success, at: now)
        }
    }
}

extension DatasetRefreshRecord {
    /// Whether the last finished attempt failed: a failure at least as recent as the last success.
    public var lastAttemptFailed: Bool {
        guard let failure = lastFailureAt else { return false }
        return lastSuccessAt.map { failure >= $0 } ?? true
    }
}

/// A dataset's freshness state.
public enum FreshnessState: String, Sendable, Hashable, CaseIterable, Codable {
    case fresh
    case stale
    case failing
    case unknown
    case refreshing
}
