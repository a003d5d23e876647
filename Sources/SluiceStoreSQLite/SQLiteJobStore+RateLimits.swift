import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func configureRateLimiter(_ limiter: RateLimiterSettings) async throws {
        try limiter.validate()
        let now = configuration.now().microsecondsSince1970
        try await write { db in
            // A changed burst caps the tokens already in the bucket.
            try db.execute(
                sql: """
                    INSERT INTO rate_limiters (name, rate_per_second, burst, tokens, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET rate_per_second = excluded.rate_per_second,
                        burst = excluded.burst, tokens = min(rate_limiters.tokens, excluded.burst)
                    """,
                arguments: [limiter.name, limiter.ratePerSecond, limiter.burst, Double(limiter.burst), now])
        }
    }

    public func acquireRateLimitToken(limiter name: String) async throws -> RateLimitDecision {
        let clock = configuration
        return try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT rate_per_second, burst, tokens, updated_at FROM rate_limiters WHERE name = ?",
                    arguments: [name])
            else { throw SluiceError(.notFound, "rate limiter \(name.prefix(64)) is not configured", field: "limiter") }
            let settings = RateLimiterSettings(name: name, ratePerSecond: row[0], burst: row[1])
            // Read the clock inside the write lock, so that buckets only ever move forward in time.
            let now = clock.now()
            let available = TokenBucket.refilled(
                tokens: row[2], updatedAt: Date(microsecondsSince1970: row[3]), now: now, settings: settings)
            let (decision, left) = TokenBucket.take(from: available, settings: settings)
            try db.execute(
                sql: "UPDATE rate_limiters SET tokens = ?, updated_at = max(updated_at, ?) WHERE name = ?",
                arguments: [left, now.microsecondsSince1970, name])
            return decision
        }
    }

    public func takeRateLimitTurn(limiter name: String, after wait: Duration) async throws -> Date {
        let earliest = configuration.now().addingTimeInterval(max(0, wait.seconds)).microsecondsSince1970
        return try await write { db in
            // The interval is rounded up to whole microseconds (`-CAST(-x AS INTEGER)` is x's ceiling), so turns never
            // come faster than the rate.
            guard
                let turn = try Int64.fetchOne(
                    db,
                    sql: """
                        UPDATE rate_limiters
                        SET next_turn_at = max(coalesce(next_turn_at, 0), ?) + (-CAST(-1e6 / rate_per_second AS INTEGER))
                        WHERE name = ?
                        RETURNING next_turn_at - (-CAST(-1e6 / rate_per_second AS INTEGER))
                        """, arguments: [earliest, name])
            else { throw SluiceError(.notFound, "rate limiter \(name.prefix(64)) is not configured", field: "limiter") }
            return Date(microsecondsSince1970: turn)
        }
    }

    public func rateLimiters() async throws -> [RateLimiterState] {
        let now = configuration.now()
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, rate_per_second, burst, tokens, updated_at FROM rate_limiters ORDER BY name"
            ).map { row in
                let settings = RateLimiterSettings(name: row[0], ratePerSecond: row[1], burst: row[2])
                return RateLimiterState(
                    settings: settings,
                    tokens: TokenBucket.refilled(
                        tokens: row[3], updatedAt: Date(microsecondsSince1970: row[4]), now: now, settings: settings))
            }
        }
    }
}
