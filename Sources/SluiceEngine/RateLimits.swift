import Foundation
import SluiceCore
import SluiceStore

/// Shared rate limiters, held in the store so that they apply across every worker and node.
///
/// ```swift
/// try await rateLimits.acquire("meta_ad_library") { wait in print("waiting \(wait)") }
/// let page = try await client.fetchAds(...)
/// ```
public struct RateLimits: Sendable {
    let store: any JobStore
    let clock: MonotonicClock

    /// Creates access to the limiters of `store`, waiting for tokens on `clock`.
    public init(store: any JobStore, clock: some Clock<Duration> = ContinuousClock()) {
        self.store = store
        self.clock = MonotonicClock.wrapping(clock)
    }

    /// Waits until a token of `limiter` is taken. Each wait is reported through `onWait` (with how long it expects to
    /// wait) and checked for cancellation every second at most. When the time waited so far plus the wait for the next
    /// token is longer than `releasingSlotAfter`, the limiter gives the caller a turn instead
    /// (``SluiceStore/PipelineStore/takeRateLimitTurn(limiter:after:)``) and this throws ``RateLimitDeferral``: a
    /// handler lets it propagate, and its worker gives the run back to the queue until that turn, freeing its slot
    /// without counting the attempt.
    /// - Throws: `CancellationError` when the task is cancelled or `isCancelled` says so;
    ///   ``SluiceError/Code/notFound`` for a limiter that is not configured; ``RateLimitDeferral``.
    public func acquire(
        _ limiter: String, releasingSlotAfter longestWait: Duration? = nil,
        isCancelled: @Sendable () -> Bool = { Task.isCancelled }, onWait: (Duration) -> Void = { _ in }
    ) async throws {
        let started = clock.now
        var waited = false
        while true {
            if isCancelled() { throw CancellationError() }
            switch try await store.acquireRateLimitToken(limiter: limiter) {
            case .granted:
                if waited { EngineMetrics.recordRateLimitWait(limiter: limiter, wait: started.duration(to: clock.now)) }
                return
            case .retryAfter(let wait):
                // Counted from the first request: with many waiters, each next-token wait is short but the tokens
                // go to others, so the time already waited decides too.
                if let longestWait, started.duration(to: clock.now) + wait > longestWait {
                    let turn = try await store.takeRateLimitTurn(limiter: limiter, after: wait)
                    throw RateLimitDeferral(limiter: limiter, until: turn)
                }
                waited = true
                onWait(wait)
                try await clock.sleep(for: min(wait, .seconds(1)))
            }
        }
    }
}

/// Thrown by ``RateLimits/acquire(_:releasingSlotAfter:isCancelled:onWait:)`` (and ``RunContext/acquireToken(_:releasingSlotAfter:)``)
/// when a token is further away than the caller would hold its worker slot: the run is given back to the queue,
/// due at `until` (its turn at the limiter), and its attempt is not counted.
public struct RateLimitDeferral: Error, Sendable, Hashable, CustomStringConvertible {
    /// The limiter waited for.
    public let limiter: String
    /// The run's turn: when it is due again.
    public let until: Date

    /// Creates a deferral.
    public init(limiter: String, until: Date) {
        self.limiter = limiter
        self.until = until
    }

    public var description: String {
        "waiting for rate limit \(limiter): worker slot released until \(until.formatted(.iso8601))"
    }
}
