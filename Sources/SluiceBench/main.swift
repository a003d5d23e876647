// sluice-bench: throughput, pickup latency and memory of Sluice on SQLite and PostgreSQL, on this machine.
//
//   swift run -c release sluice-bench [--backend sqlite|postgres|all] [--quick] [--json]
//   swift run -c release sluice-bench history [--runs N] [--backend sqlite|postgres|all]
//   swift run -c release sluice-bench multinode [--jobs N] [--concurrency C]   (needs a release `sluice`:
//       swift build -c release --product sluice)
//   sluice-bench peer enqueue|spaced …, sluice-bench raw-sqlite …   (used by bench/compare/run)
//
// PostgreSQL is a throwaway cluster started here (or SLUICE_TEST_POSTGRES_URL) with the server's default,
// durable settings; SQLite is a file in a temporary directory in WAL mode with synchronous=NORMAL.

import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport

let arguments = Set(CommandLine.arguments.dropFirst())

/// The integer after `flag` on the command line, or `fallback`.
func option(_ flag: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: flag), index + 1 < CommandLine.arguments.count,
        let value = Int(CommandLine.arguments[index + 1])
    else { return fallback }
    return value
}

var backends = TestBackend.allCases
if let index = CommandLine.arguments.firstIndex(of: "--backend"), index + 1 < CommandLine.arguments.count {
    let name = CommandLine.arguments[index + 1]
    backends = name == "all" ? TestBackend.allCases : TestBackend.allCases.filter { $0.rawValue == name }
    guard !backends.isEmpty else {
        FileHandle.standardError.write(Data("unknown backend \(name): use sqlite, postgres or all\n".utf8))
        exit(64)
    }
}
if CommandLine.arguments.dropFirst().first == "peer" {
    try await PeerCommands.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "raw-sqlite" {
    try RawSQLiteCeiling.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "history" {
    let bench = HistoryBench(runs: option("--runs", 1_000_000))
    var results: [HistoryBench.Result] = []
    for backend in backends {
        results.append(
            try await bench.run(backend, server: TestPostgresServer(durable: true)) {
                FileHandle.standardError.write(Data("\($0)\n".utf8))
            })
    }
    print(
        "| page (\(bench.runs) runs, 200 sequential requests) | "
            + results.map { "\($0.backend) p50 / p95 (ms)" }.joined(separator: " | ") + " |")
    print("|---|" + results.map { _ in "---|" }.joined())
    for (index, timing) in results[0].timings.enumerated() {
        let cells = results.map {
            String(format: "%.2f / %.2f", $0.timings[index].p50Milliseconds, $0.timings[index].p95Milliseconds)
        }
        print("| \(timing.name) | " + cells.joined(separator: " | ") + " |")
    }
    print("| fill (s) | " + results.map { String(Int($0.fillSeconds)) }.joined(separator: " | ") + " |")
    print(
        "| pruner (runs deleted/s) | " + results.map { String(Int($0.prunedRunsPerSecond)) }.joined(separator: " | ")
            + " |")
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "multinode" {
    let bench = MultiNodeBench(
        jobs: option("--jobs", 4000), concurrency: option("--concurrency", 25),
        server: TestPostgresServer(durable: true))
    let results = try await bench.run(workers: [1, 2, 4]) { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
    print("| worker processes | concurrency each | jobs/s (100 ms jobs) | vs 1 process | exactly once |")
    print("|---|---|---|---|---|")
    for result in results {
        print(
            "| \(result.workers) | \(bench.concurrency) | \(Int(result.jobsPerSecond)) | "
                + String(format: "%.2f×", result.jobsPerSecond / results[0].jobsPerSecond)
                + " | \(result.exactlyOnce ? "yes" : "NO") |")
    }
    exit(results.allSatisfy(\.exactlyOnce) ? 0 : 1)
}
let json = arguments.contains("--json")
let quick = arguments.contains("--quick")
let sizes = quick ? (small: 2_000, large: 10_000, latency: 100) : (small: 20_000, large: 100_000, latency: 500)
let concurrency = 1000

func log(_ message: String) {
    if !json { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
}

var results: [BackendResults] = []
let durableServer = TestPostgresServer(durable: true)
for backend in backends {
    log("== \(backend)")
    let configuration = StoreConfiguration(registry: BenchJobTypes.registry)
    let result = try await backend.withDatabase(configuration: configuration, server: durableServer) { database in
        _ = try await database.stores[0].createBrand(id: Benchmarks.brand, name: "Bench")
        let bench = Benchmarks(store: database.stores[0], concurrency: concurrency)
        var result = BackendResults(backend: backend.description)
        let observations = Observations()

        let (enqueueRate, small) = try await bench.enqueue(count: sizes.small)
        result.enqueueJobsPerSecond = enqueueRate
        log("batch enqueue: \(Int(enqueueRate)) jobs/s (\(sizes.small) jobs in batches of 1000)")
        let smallRate = try await bench.process(small, observations: observations)
        result.throughput["\(sizes.small) queued"] = smallRate
        log("no-op processing, \(sizes.small) queued: \(Int(smallRate)) jobs/s")

        let (_, large) = try await bench.enqueue(count: sizes.large)
        let largeRate = try await bench.process(large, observations: observations)
        result.throughput["\(sizes.large) queued"] = largeRate
        log("no-op processing, \(sizes.large) queued: \(Int(largeRate)) jobs/s")

        result.everyJobRanExactlyOnce =
            try await bench.verifyExactlyOnce(small + large, observations: observations)
            && observations.duplicateExecutions == 0
        log("every job ran exactly once: \(result.everyJobRanExactlyOnce ? "yes" : "NO")")

        let rescue = try await bench.rescueAfterKill(count: 50, observations: observations)
        result.rescueSeconds = rescue.seconds
        log(
            "rescue: 50 runs of a killed worker (default 10 s lease, 1 s rescuer) done elsewhere after \(String(format: "%.1f", rescue.seconds)) s"
        )

        result.limiterTokensPerSecond = try await bench.rateLimiterCeiling(count: sizes.latency * 10, callers: 8)
        log("shared rate limiter: \(Int(result.limiterTokensPerSecond)) tokens/s granted to 8 concurrent callers")

        let latencies = try await bench.pickupLatency(
            count: sizes.latency, spacing: .milliseconds(20), observations: observations)
        for (name, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
            result.latencyMilliseconds[name] = percentile(latencies.fromCall, q)
            result.latencyMilliseconds["\(name) after commit"] = percentile(latencies.fromCommit, q)
        }
        log(
            "pickup latency idle (\(sizes.latency) jobs, 20 ms apart), from the enqueue call: "
                + ["p50", "p95", "p99"].map { "\($0) \(String(format: "%.2f", result.latencyMilliseconds[$0]!)) ms" }
                .joined(separator: ", ")
                + "; from its commit: "
                + ["p50", "p95", "p99"].map {
                    "\($0) \(String(format: "%.2f", result.latencyMilliseconds["\($0) after commit"]!)) ms"
                }.joined(separator: ", "))
        return result
    }
    results.append(result)
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let peakRSSMegabytes = Double(usage.ru_maxrss) / 1024

if json {
    struct Report: Codable {
        let date: String
        let concurrency: Int
        let peakRSSMegabytes: Double
        let results: [BackendResults]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let report = Report(
        date: ISO8601DateFormatter().string(from: Date()), concurrency: concurrency, peakRSSMegabytes: peakRSSMegabytes,
        results: results)
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
} else {
    print(
        "| backend | batch enqueue (jobs/s) | no-op \(sizes.small) queued (jobs/s) | no-op \(sizes.large) queued (jobs/s) "
            + "| pickup from enqueue call p50 / p95 / p99 (ms) | pickup from commit p50 / p95 / p99 (ms) "
            + "| rescue after kill (s) | limiter tokens/s (8 callers) | exactly once |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results {
        let latency = ["p50", "p95", "p99"].map { String(format: "%.2f", result.latencyMilliseconds[$0] ?? .nan) }
        let afterCommit = ["p50", "p95", "p99"].map {
            String(format: "%.2f", result.latencyMilliseconds["\($0) after commit"] ?? .nan)
        }
        print(
            "| \(result.backend) | \(Int(result.enqueueJobsPerSecond)) | \(Int(result.throughput["\(sizes.small) queued"] ?? 0)) "
                + "| \(Int(result.throughput["\(sizes.large) queued"] ?? 0)) | \(latency.joined(separator: " / ")) "
                + "| \(afterCommit.joined(separator: " / ")) | \(String(format: "%.1f", result.rescueSeconds)) "
                + "| \(Int(result.limiterTokensPerSecond)) | \(result.everyJobRanExactlyOnce ? "yes" : "NO") |")
    }
    print(
        "peak RSS of the benchmark process (both backends, worker in-process): \(String(format: "%.0f", peakRSSMegabytes)) MiB"
    )
}
if results.contains(where: { !$0.everyJobRanExactlyOnce }) { exit(1) }
