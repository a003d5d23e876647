import Foundation

/// How a failed run is retried: exponential backoff with jitter and a cap, then a terminal failure.
///
/// The delay before attempt `n + 1` (after `n` failed attempts) is
/// `min(maximumDelay, initialDelay * multiplier^(n-1))`, spread by ±`jitter` (a fraction, 0.1 = ±10 %)
/// and never above `maximumDelay`.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(10), multiplier: 2, maximumDelay: .seconds(600))
/// policy.decision(afterAttempt: 1, at: now)  // .retry(at: now + ~10 s)
/// policy.decision(afterAttempt: 5, at: now)  // .giveUp
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// The total number of attempts, the first included. 1 means never retry. Defaults to 5.
    public var maxAttempts: Int
    /// The delay after the first failed attempt. Defaults to 15 seconds.
    public var initialDelay: Duration
    /// The growth factor per attempt. Defaults to 2.
    public var multiplier: Double
    /// The cap on any delay. Defaults to 1 hour.
    public var maximumDelay: Duration
    /// The jitter fraction in 0...1 applied symmetrically. Defaults to 0.2.
    public var jitter: Double

    /// Creates a policy; see the property docs for defaults.
    public init(
        maxAttempts: Int = 5, initialDelay: Duration = .seconds(15), multiplier: Double = 2,
        maximumDelay: Duration = .seconds(3600), jitter: Double = 0.2
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.jitter = jitter
    }

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Retry at the given time.
        case retry(at: Date)
        /// Attempts are exhausted: the failure is terminal.
        case giveUp
    }

    /// The problems of this policy, each naming its field; empty when valid.
    public func problems(fieldPrefix: String = "retry_policy") -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if maxAttempts < 1 {
            problems.append(.init(field: "\(fieldPrefix).max_attempts", message: "must be at least 1"))
        }
        if initialDelay < .zero {
            problems.append(.init(field: "\(fieldPrefix).initial_delay", message: "must not be negative"))
        }
        if !(multiplier >= 1) {
            problems.append(.init(field: "\(fieldPrefix).multiplier", message: "must be at least 1"))
        }
        if maximumDelay < initialDelay {
            problems.append(.init(field: "\(fieldPrefix).maximum_delay", message: "must be at least initial_delay"))
        }
        if !(0...1).contains(jitter) {
            problems.append(.init(field: "\(fieldPrefix).jitter", message: "must be in 0...1"))
        }
        return problems
    }

    /// The un-jittered delay after `attempt` failed attempts (attempt ≥ 1).
    public func baseDelay(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let seconds = initialDelay.seconds * pow(multiplier, exponent)
        return .seconds(min(maximumDelay.seconds, seconds.isFinite ? seconds : .infinity))
    }

    /// The decision after `attempt` failed attempts, using `generator` for jitter.
    public func decision(
        afterAttempt attempt: Int, at now: Date, using generator: inout some RandomNumberGenerator
    ) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        let base = baseDelay(afterAttempt: attempt).seconds
        let spread = jitter > 0 ? Double.random(in: -jitter...jitter, using: &generator) : 0
        let delay = min(maximumDelay.seconds, max(0, base * (1 + spread)))
        return .retry(at: now.addingTimeInterval(delay))
    }

    /// The decision after `attempt` failed attempts, with system randomness for jitter.
    public func decision(afterAttempt attempt: Int, at now: Date) -> Decision {
        var generator = SystemRandomNumberGenerator()
        return decision(afterAttempt: attempt, at: now, using: &generator)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
