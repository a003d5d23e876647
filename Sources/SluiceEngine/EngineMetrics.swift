import Foundation
import Metrics
import SluiceCore
import Synchronization

/// The engine's metrics, reported through swift-metrics to whatever backend the process bootstrapped (the
/// `sluice` executable bootstraps Prometheus; without a bootstrap they cost next to nothing). Handles are made
/// once per label and dimensions and kept, so a claim costs one dictionary lookup, not a registry lookup.
enum EngineMetrics {
    /// A claimed run's pickup latency: from when it became due (or was created, if later) to its claim.
    static func recordPickup(of run: Run) {
        guard let startedAt = run.startedAt else { return }
        let due = max(run.scheduledAt, run.createdAt)
        timer("sluice_run_pickup_seconds", ["job_type": run.jobType])
            .recordSeconds(max(0, startedAt.timeIntervalSince(due)))
    }

    /// How one attempt of `run` ended and how long it took.
    static func recordAttempt(of run: Run, outcome: String, duration: Duration) {
        timer("sluice_run_duration_seconds", ["job_type": run.jobType]).recordSeconds(duration.seconds)
        counter("sluice_run_attempts_total", ["job_type": run.jobType, "outcome": outcome]).increment()
    }

    /// One acquisition of a rate limiter's token that had to wait, and how long it waited in all.
    static func recordRateLimitWait(limiter: String, wait: Duration) {
        counter("sluice_rate_limit_waits_total", ["limiter": limiter]).increment()
        timer("sluice_rate_limit_wait_seconds", ["limiter": limiter]).recordSeconds(wait.seconds)
    }

    private static let timers = Mutex<[HandleKey: Metrics.Timer]>([:])
    private static let counters = Mutex<[HandleKey: Counter]>([:])

    private struct HandleKey: Hashable {
        let label: String
        let dimensions: [String: String]
    }

    private static func timer(_ label: String, _ dimensions: [String: String]) -> Metrics.Timer {
        let key = HandleKey(label: label, dimensions: dimensions)
        return timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: dimensions.sorted { $0.key < $1.key })
            cache[key] = timer
            return timer
        }
    }

    private static func counter(_ label: String, _ dimensions: [String: String]) -> Counter {
        let key = HandleKey(label: label, dimensions: dimensions)
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions.sorted { $0.key < $1.key })
            cache[key] = counter
            return counter
        }
    }
}
