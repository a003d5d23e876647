import Foundation
import SluiceCore
import SluiceEngine
import Synchronization

/// The job types the benchmarks enqueue, and the handlers that observe them.
enum BenchJobTypes {
    /// Does nothing.
    static let noop = JobType(name: "noop", label: "No-op", retryPolicy: RetryPolicy(maxAttempts: 3))
    /// Records how long after its enqueue (the `enqueued_ns` parameter, CLOCK_MONOTONIC) its handler started.
    static let latency = JobType(
        name: "latency", label: "Latency",
        schema: ParameterSchema([ParameterField("enqueued_ns", .int, required: true)]),
        retryPolicy: RetryPolicy(maxAttempts: 3))

    static let registry = try! JobTypeRegistry([noop, latency])

    /// Handlers that count executions per run id and record pickup latencies.
    static func handlers(_ observations: Observations) -> HandlerRegistry {
        var handlers = HandlerRegistry()
        handlers.register("noop") { context in
            observations.executed(context.run.id)
            return JobOutcome()
        }
        handlers.register("latency") { context in
            let started = monotonicNanoseconds()
            let enqueued = try context.parameters.int("enqueued_ns")
            observations.executed(context.run.id, startedAt: started, latencyNanoseconds: Int(started) - enqueued)
            return JobOutcome()
        }
        return handlers
    }
}

/// What the handlers saw: how many times each run executed, and pickup latencies.
final class Observations: Sendable {
    private struct State {
        var executions: [Int64: Int] = [:]
        var latencies: [Int] = []
        var startedAt: [Int64: UInt64] = [:]
    }

    private let state = Mutex(State())

    func executed(_ runID: Int64, startedAt: UInt64? = nil, latencyNanoseconds: Int? = nil) {
        state.withLock { state in
            state.executions[runID, default: 0] += 1
            if let latencyNanoseconds { state.latencies.append(latencyNanoseconds) }
            if let startedAt { state.startedAt[runID] = startedAt }
        }
    }

    /// When the handler of `runID` started (CLOCK_MONOTONIC), if it did.
    func startedAt(_ runID: Int64) -> UInt64? { state.withLock { $0.startedAt[runID] } }

    var executedCount: Int { state.withLock { $0.executions.count } }
    var duplicateExecutions: Int { state.withLock { $0.executions.values.filter { $0 > 1 }.count } }
    func executions(of ids: [Int64]) -> [Int] {
        state.withLock { state in ids.map { state.executions[$0, default: 0] } }
    }
    var latencies: [Int] { state.withLock { $0.latencies } }
}

/// CLOCK_MONOTONIC in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
