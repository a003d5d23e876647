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

    /// One statement, so that the row lock is held for no round trip: the refill, the take and the decision are
    /// computed from the row as locked (PostgreSQL re-reads a row updated meanwhile before computing `SET`), and
    /// `last_granted` carries the decision out, since `RETURNING` sees only the new values. Time never moves
    /// backwards for a bucket, even when hosts' clocks disagree.
    public func acquireRateLimitToken(limiter name: String) async throws -> RateLimitDecision {
        let now = configuration.now()
        guard
            let row = try await rows(
                """
                UPDATE rate_limiters SET
                    tokens = \(unescaped: Self.refill(now)) - CASE WHEN \(unescaped: Self.refill(now)) >= 1 THEN 1 ELSE 0 END,
                    last_granted = \(unescaped: Self.refill(now)) >= 1,
                    updated_at = greatest(updated_at, \(now))
                WHERE name = \(name)
                RETURNING tokens, last_granted, rate_per_second, burst
                """
            ).first
        else { throw SluiceError(.notFound, "rate limiter \(name.prefix(64)) is not configured", field: "limiter") }
        if try row["last_granted"].decode(Bool.self) { return .granted }
        let settings = RateLimiterSettings(
            name: name, ratePerSecond: try row["rate_per_second"].decode(Double.self),
            burst: try row["burst"].decode(Int.self))
        return TokenBucket.take(from: try row["tokens"].decode(Double.self), settings: settings).0
    }

    /// One statement: the turn is the later of `next_turn_at` and `now + wait`, and `next_turn_at` moves one token's
    /// interval past it (`RETURNING` sees the new value, so the turn is read back as that less the interval).
    public func takeRateLimitTurn(limiter name: String, after wait: Duration) async throws -> Date {
        let earliest = configuration.now().addingTimeInterval(max(0, wait.seconds)).roundedToMicroseconds
        guard
            let row = try await rows(
                """
                UPDATE rate_limiters SET next_turn_at = greatest(next_turn_at, \(earliest))
                    + make_interval(secs => 1 / rate_per_second)
                WHERE name = \(name)
                RETURNING next_turn_at - make_interval(secs => 1 / rate_per_second) AS turn
                """
            ).first
        else { throw SluiceError(.notFound, "rate limiter \(name.prefix(64)) is not configured", field: "limiter") }
        return try row["turn"].decode(Date.self)
    }

    /// The bucket's tokens at `now`, refilled since `updated_at` and capped at the burst, as SQL over the row (the
    /// instant is a literal of microseconds since 1970, so the expression can be repeated without extra binds).
    private static func refill(_ now: Date) -> String {
        """
        least(burst::float8, tokens + greatest(0, extract(epoch FROM (TIMESTAMPTZ 'epoch'
            + \(now.microsecondsSince1970) * INTERVAL '1 microsecond' - updated_at)))::float8 * rate_per_second)
        """
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
