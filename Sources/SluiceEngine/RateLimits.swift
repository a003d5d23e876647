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
    /// wait) and checked for cancellation every second at most.
    /// - Throws: `CancellationError` when the task is cancelled or `isCancelled` says so;
    ///   ``SluiceError/Code/notFound`` for a limiter that is not configured.
    public func acquire(
        _ limiter: String, isCancelled: @Sendable () -> Bool = { Task.isCancelled },
        onWait: (Duration) -> Void = { _ in }
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
                waited = true
                onWait(wait)
                try await clock.sleep(for: min(wait, .seconds(1)))
            }
        }
    }
}
