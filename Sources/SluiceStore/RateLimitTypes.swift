import Foundation
import SluiceCore

/// A named token bucket shared by every process of a store, such as `meta_ad_library`.
public struct RateLimiterSettings: Sendable, Hashable {
    /// The limiter's name, a lowercase identifier.
    public var name: String
    /// Tokens added per second.
    public var ratePerSecond: Double
    /// The bucket's size: how many requests may go at once after a quiet spell.
    public var burst: Int

    /// Creates settings.
    public init(name: String, ratePerSecond: Double, burst: Int) {
        self.name = name
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }

    /// Validates the settings.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(name) else { throw .invalidArgument("name", Identifier.rule) }
        guard ratePerSecond.isFinite, ratePerSecond > 0, ratePerSecond <= 1_000_000 else {
            throw .invalidArgument("rate_per_second", "must be positive and at most 1000000")
        }
        guard (1...1_000_000).contains(burst) else { throw .invalidArgument("burst", "must be between 1 and 1000000") }
    }
}

/// The answer to a token request.
public enum RateLimitDecision: Sendable, Hashable {
    /// A token was taken: go ahead.
    case granted
    /// No token now; one will be available after this long.
    case retryAfter(Duration)
}

/// A limiter and its bucket at one moment.
public struct RateLimiterState: Sendable, Hashable {
    /// The settings.
    public let settings: RateLimiterSettings
    /// Tokens in the bucket now, refill included.
    public let tokens: Double

    /// Creates a state (stores build these from rows).
    public init(settings: RateLimiterSettings, tokens: Double) {
        self.settings = settings
        self.tokens = tokens
    }
}

/// The token bucket arithmetic every backend applies inside one atomic update.
public enum TokenBucket {
    /// The bucket's tokens at `now`, refilled since `updatedAt` and capped at the burst.
    public static func refilled(
        tokens: Double, updatedAt: Date, now: Date, settings: RateLimiterSettings
    ) -> Double {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        return min(Double(settings.burst), tokens + elapsed * settings.ratePerSecond)
    }

    /// The decision for a bucket holding `tokens`, and the tokens left after it.
    public static func take(from tokens: Double, settings: RateLimiterSettings) -> (RateLimitDecision, Double) {
        if tokens >= 1 { return (.granted, tokens - 1) }
        let wait = (1 - tokens) / settings.ratePerSecond
        return (.retryAfter(.microseconds(Int64((wait * 1_000_000).rounded(.up)))), tokens)
    }
}
