import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport

/// The measurements of one backend.
struct BackendResults: Codable, Sendable {
    var backend: String
    var enqueueJobsPerSecond: Double = 0
    var throughput: [String: Double] = [:]
    var latencyMilliseconds: [String: Double] = [:]
    var rescueSeconds: Double = 0
    var limiterTokensPerSecond: Double = 0
    var everyJobRanExactlyOnce = true
    var notes: [String] = []
}

/// The benchmark workloads, run against one store.
struct Benchmarks {
    let store: any JobStore
    let concurrency: Int
    let logger = Logger(label: "sluice.bench", factory: { _ in SwiftLogNoOpLogHandler() })
    static let brand = UUID(uuidString: "0B000000-0000-4000-8000-00000000BE00")!

    /// Takes `count` tokens of a shared rate limiter whose rate is never the bottleneck, from `callers` concurrent
    /// callers; returns tokens per second: the ceiling of one limiter shared by every worker.
    func rateLimiterCeiling(count: Int, callers: Int) async throws -> Double {
        try await store.configureRateLimiter(
            RateLimiterSettings(name: "bench", ratePerSecond: 1_000_000, burst: 1_000_000))
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for _ in stride(from: caller, to: count, by: callers) {
                        guard try await store.acquireRateLimitToken(limiter: "bench") == .granted else {
                            throw SluiceError(.conflict, "the bench limiter ran dry")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / (ContinuousClock.now - started).seconds
    }

    /// Enqueues `count` no-op jobs in batches of `batch`; returns jobs per second and the run ids.
    func enqueue(count: Int, batch: Int = 1000) async throws -> (perSecond: Double, ids: [Int64]) {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        let started = ContinuousClock.now
        var remaining = count
        while remaining > 0 {
            let size = min(batch, remaining)
            let inserted = try await store.insertJobs(
                Array(repeating: JobRequest(brandID: Self.brand, jobType: "noop"), count: size))
            ids += inserted.compactMap(\.run?.id)
            remaining -= size
        }
        return (Double(count) / (ContinuousClock.now - started).seconds, ids)
    }

    /// Processes the already queued `ids` with one in-process worker; returns jobs per second.
    func process(_ ids: [Int64], observations: Observations) async throws -> Double {
        let worker = try Worker(
            store: store, registry: BenchJobTypes.registry, handlers: BenchJobTypes.handlers(observations),
            configuration: WorkerConfiguration(concurrency: concurrency), logger: logger)
        let target = observations.executedCount + ids.count
        let elapsed = try await withServices([worker]) {
            let started = ContinuousClock.now
            while observations.executedCount < target { try await Task.sleep(for: .milliseconds(2)) }
            return ContinuousClock.now - started
        }
        return Double(ids.count) / elapsed.seconds
    }

    /// Enqueues `count` latency jobs `spacing` apart into an idle worker; returns the pickup latencies (ms) measured
    /// from the enqueue call and from its return (the enqueue's durable commit).
    func pickupLatency(
        count: Int, spacing: Duration, observations: Observations
    ) async throws -> (
        fromCall: [Double], fromCommit: [Double]
    ) {
        let worker = try Worker(
            store: store, registry: BenchJobTypes.registry, handlers: BenchJobTypes.handlers(observations),
            configuration: WorkerConfiguration(concurrency: concurrency), logger: logger)
        let before = observations.latencies.count
        let committed = try await withServices([worker]) {
            try await Task.sleep(for: .milliseconds(300))  // let the worker start listening
            var committed: [(runID: Int64, at: UInt64)] = []
            for _ in 0..<count {
                let enqueued = Int64(monotonicNanoseconds())
                let inserted = try await store.insertJob(
                    JobRequest(brandID: Self.brand, jobType: "latency", parameters: ["enqueued_ns": .int(enqueued)]))
                committed.append((inserted.run!.id, monotonicNanoseconds()))
                try await Task.sleep(for: spacing)
            }
            while observations.latencies.count < before + count { try await Task.sleep(for: .milliseconds(5)) }
            return committed
        }
        let fromCommit = committed.compactMap { item in
            observations.startedAt(item.runID).map { Double(Int($0) - Int(item.at)) / 1_000_000 }
        }
        return (observations.latencies.dropFirst(before).map { Double($0) / 1_000_000 }, fromCommit)
    }

    /// Simulates a worker killed with `count` runs in hand (claimed with the default lease, then never heard from
    /// again) and measures how long until a live worker with default settings, and a rescuer, has finished them all.
    func rescueAfterKill(count: Int, observations: Observations) async throws -> Duration {
        let (_, ids) = try await enqueue(count: count)
        let deadWorker = WorkerConfiguration()
        let held = try await store.claimRuns(
            ClaimRequest(
                workerID: "killed-\(deadWorker.id)", jobTypes: ["noop"], limit: count,
                leaseDuration: deadWorker.leaseDuration))
        let killedAt = ContinuousClock.now
        guard held.count == count else { throw BenchError("expected to hold \(count) runs, held \(held.count)") }
        let worker = try Worker(
            store: store, registry: BenchJobTypes.registry, handlers: BenchJobTypes.handlers(observations),
            configuration: WorkerConfiguration(concurrency: concurrency), logger: logger)
        let target = observations.executedCount + ids.count
        return try await withServices([worker, Rescuer(store: store, logger: logger)]) {
            while observations.executedCount < target { try await Task.sleep(for: .milliseconds(5)) }
            return ContinuousClock.now - killedAt
        }
    }

    /// Whether every run in `ids` succeeded in the store with one attempt, and ran exactly once.
    func verifyExactlyOnce(_ ids: [Int64], observations: Observations) async throws -> Bool {
        guard observations.executions(of: ids).allSatisfy({ $0 == 1 }) else { return false }
        let wanted = Set(ids)
        var seen = 0
        var cursor: String?
        repeat {
            let page = try await store.listRuns(RunQuery(jobType: "noop", limit: 1000, cursor: cursor))
            for run in page.items where wanted.contains(run.id) {
                guard run.state == .succeeded, run.attempt == 1 else { return false }
                seen += 1
            }
            cursor = page.nextCursor
        } while cursor != nil
        return seen == ids.count
    }

    private func withServices<T: Sendable>(
        _ services: [any Service], _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withRunningServices(services, logger: logger, body)
    }
}

/// The value at quantile `q` (0...1) of `values`.
func percentile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
}

/// A benchmark that could not run as planned.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
