import Foundation
import Metrics
import SluiceCore

/// The engine's metrics, reported through swift-metrics to whatever backend the process bootstrapped (the
/// `sluice` executable bootstraps Prometheus; without a bootstrap they cost next to nothing).
enum EngineMetrics {
    /// A claimed run's pickup latency: from when it became due (or was created, if later) to its claim.
    static func recordPickup(of run: Run) {
        guard let startedAt = run.startedAt else { return }
        let due = max(run.scheduledAt, run.createdAt)
        let latency = max(0, startedAt.timeIntervalSince(due))
        Metrics.Timer(label: "sluice_run_pickup_seconds", dimensions: [("job_type", run.jobType)])
            .recordSeconds(latency)
    }

    /// How one attempt of `run` ended and how long it took.
    static func recordAttempt(of run: Run, outcome: String, duration: Duration) {
        Metrics.Timer(label: "sluice_run_duration_seconds", dimensions: [("job_type", run.jobType)])
            .recordSeconds(duration.seconds)
        Counter(label: "sluice_run_attempts_total", dimensions: [("job_type", run.jobType), ("outcome", outcome)])
            .increment()
    }

    /// A wait for a rate limiter's token.
    static func recordRateLimitWait(limiter: String, wait: Duration) {
        Counter(label: "sluice_rate_limit_waits_total", dimensions: [("limiter", limiter)]).increment()
        Metrics.Timer(label: "sluice_rate_limit_wait_seconds", dimensions: [("limiter", limiter)])
            .recordSeconds(wait.seconds)
    }
}
