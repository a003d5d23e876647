import Foundation

/// How old a dataset's last successful refresh may be.
///
/// Past ``warnAfter`` the dataset is `stale`; past ``failAfter`` (if set) it is `failing`.
public struct FreshnessPolicy: Sendable, Hashable {
    /// The age after which the dataset is stale.
    public let warnAfter: Duration
    /// The age after which the dataset is failing, if any.
    public let failAfter: Duration?

    /// Creates a policy.
    /// - Throws: ``SluiceError/Code/invalidArgument`` when a duration is not positive or `failAfter < warnAfter`.
    public init(warnAfter: Duration, failAfter: Duration? = nil) throws(SluiceError) {
        guard warnAfter > .zero else { throw .invalidArgument("warn_after", "must be positive") }
        if let failAfter, failAfter < warnAfter {
            throw .invalidArgument("fail_after", "must be at least warn_after")
        }
        self.warnAfter = warnAfter
        self.failAfter = failAfter
    }

    /// The state of a dataset with refresh record `record` at `now`.
    ///
    /// - `refreshing`: an attempt started after the last outcome and has not ended;
    /// - `failing`: the last attempt failed, or the last success is older than ``failAfter``;
    /// - `unknown`: it never succeeded (and never failed);
    /// - `stale`: the last success is older than ``warnAfter``;
    /// - `fresh`: otherwise.
    public func state(of record: DatasetRefreshRecord?, at now: Date) -> FreshnessState {
        guard let record else { return .unknown }
        let lastOutcome = [record.lastSuccessAt, record.lastFailureAt].compactMap { $0 }.max()
        if let attempt = record.lastAttemptAt, lastOutcome.map({ attempt > $0 }) ?? true { return .refreshing }
        if let failure = record.lastFailureAt, record.lastSuccessAt.map({ failure >= $0 }) ?? true { return .failing }
        guard let success = record.lastSuccessAt else { return .unknown }
        let age = now.timeIntervalSince(success)
        if let failAfter, age > failAfter.seconds { return .failing }
        return age > warnAfter.seconds ? .stale : .fresh
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
