import Foundation
import SluiceCore
import SluiceProbeJobs
import SluiceStore
import SluiceTestSupport

/// `sluice-bench multinode`: 1, 2 and 4 `sluice worker` processes on one PostgreSQL database burn down the same
/// number of pre-queued I/O-bound jobs (`probe_sleep`, 100 ms each); throughput from the first start to the last
/// end in the shared ledger, and whether every run executed exactly once.
struct MultiNodeBench {
    let jobs: Int
    let concurrency: Int
    let server: TestPostgresServer

    /// One cluster size's result.
    struct Result: Codable {
        let workers: Int
        let jobsPerSecond: Double
        let exactlyOnce: Bool
    }

    func run(workers counts: [Int], log: (String) -> Void) async throws -> [Result] {
        let sluice = try SiblingExecutable.url(named: "sluice")
        let registry = try JobTypeRegistry(ProbeJobTypes.all)
        var results: [Result] = []
        for count in counts {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-multinode-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let ledger = folder.appendingPathComponent("ledger").path
            let result = try await TestBackend.postgres.withDatabase(
                configuration: StoreConfiguration(registry: registry), server: server
            ) { database in
                let store = database.stores[0]
                let brand = try await store.createBrand(name: "Bench")
                let requests = (0..<jobs).map { _ in
                    JobRequest(
                        brandID: brand.id, jobType: ProbeJobTypes.sleep.name,
                        parameters: ["sleep_ms": 100, "ledger": .string(ledger)])
                }
                for batch in stride(from: 0, to: requests.count, by: 1000) {
                    _ = try await store.insertJobs(Array(requests[batch..<min(batch + 1000, requests.count)]))
                }
                let processes = try (0..<count).map { index in
                    try Self.start(
                        sluice, database: database.location, concurrency: concurrency,
                        log: folder.appendingPathComponent("worker-\(index).log"))
                }
                let deadline = ContinuousClock.now + .seconds(600)
                var entries: [LedgerEntry] = []
                while ContinuousClock.now < deadline {
                    entries = LedgerEntry.read(from: ledger)
                    if entries.filter({ $0.event == "end" }).count >= jobs { break }
                    try? await Task.sleep(for: .milliseconds(200))
                }
                await Self.stop(processes)
                let starts = entries.filter { $0.event == "start" }
                let ends = entries.filter { $0.event == "end" }
                let span = Double((ends.map(\.nanoseconds).max() ?? 0) - (starts.map(\.nanoseconds).min() ?? 0)) / 1e9
                let exactlyOnce = Set(starts.map(\.runID)).count == jobs && starts.count == jobs && ends.count == jobs
                return Result(workers: count, jobsPerSecond: Double(ends.count) / span, exactlyOnce: exactlyOnce)
            }
            log(
                "\(count) worker process(es) × concurrency \(concurrency): \(Int(result.jobsPerSecond)) jobs/s "
                    + "(\(jobs) jobs of 100 ms); exactly once: \(result.exactlyOnce ? "yes" : "NO")")
            results.append(result)
        }
        return results
    }

    /// SIGTERM to every worker at once, then SIGKILL for any still running 10 s later.
    static func stop(_ processes: [SpawnedProcess]) async {
        for process in processes { process.signal(SIGTERM) }
        for process in processes where await process.exitStatus(within: .seconds(10)) == nil {
            await process.stop(grace: .zero)
        }
    }

    /// Starts `sluice worker --probe-job-types` with its output in `log`.
    static func start(_ sluice: URL, database: String, concurrency: Int, log: URL) throws -> SpawnedProcess {
        try SpawnedProcess(
            sluice.path,
            [
                "worker", "--probe-job-types", "--database", database, "--concurrency", String(concurrency),
                "--log-level", "warning",
            ], directory: log.deletingLastPathComponent().path, output: .file(log.path), errors: .file(log.path))
    }
}
