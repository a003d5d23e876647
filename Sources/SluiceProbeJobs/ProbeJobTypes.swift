import Foundation
import SluiceCore
import SluiceEngine

/// Job types for proving and measuring a deployment: they sleep, and (given a `ledger` path) append a start and an
/// end line per attempt to a ledger file shared by every process on the machine. `sluice worker --probe-job-types`
/// and `sluice serve --probe-job-types` run them beside the product's job types; the multi-node tests, crash tests
/// and benchmarks enqueue them.
public enum ProbeJobTypes {
    /// The limiter `probe_rate` takes a token of before it runs.
    public static let rateLimiter = "probe"
    /// The most `probe_limited` runs running at once, across every worker.
    public static let concurrencyLimit = 3

    static let schema = ParameterSchema([
        ParameterField(
            "sleep_ms", .int, minimum: 0, maximum: 600_000, default: .int(100), summary: "How long to sleep."),
        ParameterField("ledger", .string, minimum: 1, maximum: 1000, summary: "A ledger file to append to."),
    ])
    static let retries = RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), multiplier: 1, jitter: 0)

    /// Sleeps for `sleep_ms`.
    public static let sleep = JobType(
        name: "probe_sleep", label: "Probe: sleep", emoji: "💤", schema: schema, retryPolicy: retries)
    /// Sleeps, never more than ``concurrencyLimit`` at once across the cluster.
    public static let limited = JobType(
        name: "probe_limited", label: "Probe: limited", emoji: "🚦", schema: schema, retryPolicy: retries,
        concurrencyLimit: concurrencyLimit)
    /// Takes a token of the shared ``rateLimiter``, then sleeps.
    public static let rated = JobType(
        name: "probe_rate", label: "Probe: rate limited", emoji: "⏱️", schema: schema, retryPolicy: retries)

    /// Every probe job type.
    public static let all = [sleep, limited, rated]

    /// A handler for every probe job type.
    public static func handlers() -> HandlerRegistry {
        var handlers = HandlerRegistry()
        handlers.register(sleep.name, ProbeHandler(limiter: nil))
        handlers.register(limited.name, ProbeHandler(limiter: nil))
        handlers.register(rated.name, ProbeHandler(limiter: rateLimiter))
        return handlers
    }
}

/// Takes a token of `limiter` (if any), then writes `start` to the ledger, sleeps, and writes `end`.
struct ProbeHandler: JobHandler {
    let limiter: String?

    func run(_ context: RunContext) async throws -> JobOutcome {
        if let limiter { try await context.acquireToken(limiter) }
        let ledger: String? = if case .string(let path)? = context.parameters.values["ledger"] { path } else { nil }
        let worker = context.run.workerID ?? "unknown"
        let record = { (event: String) in
            guard let ledger else { return }
            LedgerEntry.append(
                event: event, runID: context.run.id, attempt: context.run.attempt, workerID: worker, to: ledger)
        }
        record("start")
        try await Task.sleep(for: .milliseconds(try context.parameters.int("sleep_ms")))
        record("end")
        return JobOutcome()
    }
}
