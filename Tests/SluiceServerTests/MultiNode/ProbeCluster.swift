import Foundation
import SluiceAdIntel
import SluiceCore
import SluiceEngine
import SluiceProbeJobs
import SluiceStore
import SluiceTestSupport
import Testing

/// Real `sluice worker --probe-job-types` processes on one PostgreSQL database, a ledger file they all append to,
/// and a client in the test process to enqueue and watch.
final class ProbeCluster: @unchecked Sendable {
    static let registry = try! JobTypeRegistry(AdIntelCatalog.jobTypes + ProbeJobTypes.all)

    let location: String
    let folder: URL
    let ledger: String
    let client: SluiceClient
    let brand: Brand
    private(set) var workers: [ChildProcess] = []
    private var started = 0

    private init(location: String, folder: URL, client: SluiceClient, brand: Brand) {
        self.location = location
        self.folder = folder
        self.ledger = folder.appendingPathComponent("ledger").path
        self.client = client
        self.brand = brand
    }

    /// Runs `body` on a fresh PostgreSQL database with `workers` worker processes started; stops them afterwards.
    static func with(
        workers count: Int, concurrency: Int = 16, _ body: @Sendable (ProbeCluster) async throws -> Void
    ) async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestBackend.postgres.withDatabase(configuration: StoreConfiguration(registry: registry)) { database in
            let client = SluiceClient(
                store: database.stores[0], registry: registry, datasets: try AdIntelCatalog.datasets(registry))
            let cluster = ProbeCluster(
                location: database.location, folder: folder, client: client,
                brand: try await client.createBrand(name: "Probe"))
            do {
                for _ in 0..<count { try await cluster.startWorker(concurrency: concurrency) }
                try await body(cluster)
            } catch {
                let last = cluster.workers.suffix(3).map {
                    "\($0.output.lastPathComponent):\n\($0.printed.suffix(2000))"
                }
                Issue.record("the last workers printed:\n\(last.joined(separator: "\n"))")
                await cluster.stopAll()
                throw error
            }
            await cluster.stopAll()
        }
    }

    /// Starts one more worker process and waits until it runs its worker.
    func startWorker(concurrency: Int = 16) async throws {
        started += 1
        let worker = try ChildProcess(
            try SiblingExecutable.url(named: "sluice"),
            [
                "worker", "--probe-job-types", "--database", location, "--concurrency", String(concurrency),
                "--asset-dir", folder.appendingPathComponent("assets").path,
            ],
            name: "worker-\(started)", folder: folder, environment: SluiceCLI.environment(adding: [:]))
        workers.append(worker)
        _ = try await worker.wait(for: #"(Starting the worker)"#)
    }

    /// Kills the oldest running worker with SIGKILL, as a crash would, and waits until it is gone.
    func killOldest() async {
        guard let index = workers.firstIndex(where: { $0.process.isRunning }) else { return }
        let worker = workers[index]
        worker.process.signal(SIGKILL)
        await worker.exited()
    }

    /// Stops every worker still running (SIGTERM, then SIGKILL).
    func stopAll() async {
        for worker in workers { await worker.stop() }
    }

    /// Enqueues `count` one-time runs of `jobType`; returns their run ids.
    func enqueue(_ jobType: String, count: Int, sleepMilliseconds: Int) async throws -> [Int64] {
        try await client.enqueue(
            (0..<count).map { _ in
                JobRequest(
                    brandID: brand.id, jobType: jobType,
                    parameters: ["sleep_ms": .int(Int64(sleepMilliseconds)), "ledger": .string(ledger)])
            }
        ).compactMap(\.run?.id)
    }

    /// Waits until every run of `ids` has succeeded.
    func waitUntilSucceeded(_ ids: [Int64], timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        let wanted = Set(ids)
        while true {
            var succeeded = Set<Int64>()
            var cursor: String?
            repeat {
                let page = try await client.runs(RunQuery(states: [.succeeded], limit: 1000, cursor: cursor))
                succeeded.formUnion(page.items.map(\.id))
                cursor = page.nextCursor
            } while cursor != nil
            if wanted.isSubset(of: succeeded) { return }
            guard ContinuousClock.now < deadline else {
                throw ProbeClusterError("\(wanted.subtracting(succeeded).count) of \(ids.count) runs not done in time")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Every attempt in the ledger, by run: its start and end (nil if its worker died first) and worker.
    func attempts() -> [Int64: [Attempt]] {
        var attempts: [Int64: [Int: Attempt]] = [:]
        for entry in LedgerEntry.read(from: ledger) {
            var attempt = attempts[entry.runID, default: [:]][entry.attempt] ?? Attempt(worker: entry.workerID)
            if entry.event == "start" {
                attempt.starts.append(entry.nanoseconds)
            } else {
                attempt.end = entry.nanoseconds
            }
            attempts[entry.runID, default: [:]][entry.attempt] = attempt
        }
        return attempts.mapValues { Array($0.values) }
    }

    /// One attempt of a run as the ledger tells it.
    struct Attempt {
        let worker: String
        var starts: [UInt64] = []
        var end: UInt64?
    }
}

/// A cluster that did not do what a test waited for.
struct ProbeClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
