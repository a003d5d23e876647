import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func configureRateLimiter(_ limiter: RateLimiterSettings) async throws {
        try limiter.validate()
        let now = configuration.now()
        // A changed burst caps the tokens already in the bucket.
        _ = try await rows(
            """
            INSERT INTO rate_limiters (name, rate_per_second, burst, tokens, updated_at)
            VALUES (\(limiter.name), \(limiter.ratePerSecond), \(limiter.burst), \(Double(limiter.burst)), \(now))
            ON CONFLICT (name) DO UPDATE SET rate_per_second = excluded.rate_per_second, burst = excluded.burst,
                tokens = least(rate_limiters.tokens, excluded.burst)
            """)
    }

    /// The limiter's row lock serializes every process's requests; the clock is read once the lock is held.
    public func acquireRateLimitToken(limiter name: String) async throws -> RateLimitDecision {
        let clock = configuration
        return try await transaction { connection in
            guard
                let row = try await rows(
                    """
                    SELECT rate_per_second, burst, tokens, updated_at FROM rate_limiters WHERE name = \(name)
                    FOR UPDATE
                    """, on: connection
                ).first
            else { throw SluiceError(.notFound, "rate limiter \(name.prefix(64)) is not configured", field: "limiter") }
            let settings = RateLimiterSettings(
                name: name, ratePerSecond: try row["rate_per_second"].decode(Double.self),
                burst: try row["burst"].decode(Int.self))
            // Time never moves backwards for a bucket, even when hosts' clocks disagree.
            let updatedAt = try row["updated_at"].instant()
            let at = max(clock.now(), updatedAt)
            let available = TokenBucket.refilled(
                tokens: try row["tokens"].decode(Double.self), updatedAt: updatedAt, now: at, settings: settings)
            let (decision, left) = TokenBucket.take(from: available, settings: settings)
            _ = try await rows(
                "UPDATE rate_limiters SET tokens = \(left), updated_at = \(at) WHERE name = \(name)", on: connection)
            return decision
        }
    }

    public func rateLimiters() async throws -> [RateLimiterState] {
        let now = configuration.now()
        return try await rows(
            "SELECT name, rate_per_second, burst, tokens, updated_at FROM rate_limiters ORDER BY name"
        ).map { row in
            let settings = RateLimiterSettings(
                name: try row["name"].decode(String.self),
                ratePerSecond: try row["rate_per_second"].decode(Double.self),
                burst: try row["burst"].decode(Int.self))
            return RateLimiterState(
                settings: settings,
                tokens: TokenBucket.refilled(
                    tokens: try row["tokens"].decode(Double.self), updatedAt: try row["updated_at"].instant(),
                    now: now, settings: settings))
        }
    }
}
