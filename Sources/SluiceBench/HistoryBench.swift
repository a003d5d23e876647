import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Synchronization

/// `sluice-bench history`: a database with a large run history (every run succeeded or failed, with log lines), then
/// the API's list and filter endpoints and the dashboard's pages over real HTTP (p50/p95 of sequential requests),
/// then the pruner's throughput deleting all of it.
struct HistoryBench {
    let runs: Int
    let brands = 20
    /// Every `failEvery`-th run fails (once: the job type has a single attempt).
    let failEvery = 20

    static let history = JobType(
        name: "history", label: "History", schema: ParameterSchema([ParameterField("fail", .bool, default: false)]),
        retryPolicy: RetryPolicy(maxAttempts: 1))

    /// One request's name and latency percentiles.
    struct Timing: Codable {
        let name: String
        let p50Milliseconds: Double
        let p95Milliseconds: Double
    }

    /// What one backend measured.
    struct Result: Codable {
        let backend: String
        let runs: Int
        let fillSeconds: Double
        let timings: [Timing]
        let prunedRunsPerSecond: Double
    }

    func run(
        _ backend: TestBackend, server: TestPostgresServer, log: @escaping @Sendable (String) -> Void
    )
        async throws -> Result
    {
        let registry = try JobTypeRegistry(AdIntelCatalog.jobTypes + [Self.history])
        return try await backend.withDatabase(configuration: StoreConfiguration(registry: registry), server: server) {
            database in
            let store = database.stores[0]
            let client = SluiceClient(
                store: store, registry: registry, datasets: try AdIntelCatalog.datasets(registry))
            let started = ContinuousClock.now
            let brandIDs = try await fill(store, client: client, registry: registry, log: log)
            let fillSeconds = (ContinuousClock.now - started).seconds
            log("\(backend): \(runs) runs with 2 log lines each in \(Int(fillSeconds)) s")
            let timings = try await measurePages(
                client: client, adIntel: AdIntelClient(store: store), brand: brandIDs[0], log: log)
            let pruned = try await prune(store)
            log("\(backend): the pruner deleted \(Int(pruned)) runs/s (with their logs)")
            return Result(
                backend: backend.description, runs: runs, fillSeconds: fillSeconds, timings: timings,
                prunedRunsPerSecond: pruned)
        }
    }

    /// Enqueues the runs in batches of 1 000 across the brands and lets an in-process worker finish them.
    private func fill(
        _ store: any JobStore, client: SluiceClient, registry: JobTypeRegistry, log: @Sendable (String) -> Void
    ) async throws -> [UUID] {
        var brandIDs: [UUID] = []
        for index in 0..<brands { brandIDs.append(try await client.createBrand(name: "Brand \(index)").id) }
        var handlers = HandlerRegistry()
        handlers.register(Self.history.name) { context in
            context.log("started run \(context.run.id)")
            guard try !context.parameters.bool("fail") else { throw HistoryFailure() }
            context.log("finished: 1 row", level: .info)
            return JobOutcome(rowsWritten: 1)
        }
        let worker = try Worker(
            store: store, registry: registry, handlers: handlers,
            configuration: WorkerConfiguration(concurrency: 500), logger: Logger(label: "bench"))
        let chunk = 50_000
        for first in stride(from: 0, to: runs, by: chunk) {
            let count = min(chunk, runs - first)
            for batch in stride(from: 0, to: count, by: 1000) {
                let requests = (batch..<min(batch + 1000, count)).map { offset in
                    let index = first + offset
                    return JobRequest(
                        brandID: brandIDs[index % brands], jobType: Self.history.name,
                        parameters: ["fail": .bool(index % failEvery == 0)])
                }
                _ = try await store.insertJobs(requests)
            }
            try await withRunningServices([worker], logger: Logger(label: "bench")) {
                while try await store.listRuns(RunQuery(states: [.queued, .running], limit: 1)).items.isEmpty == false {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            log("  \(first + count) runs finished")
        }
        return brandIDs
    }

    /// Serves the API and dashboard on a free loopback port and times each page.
    private func measurePages(
        client: SluiceClient, adIntel: AdIntelClient, brand: UUID, log: @escaping @Sendable (String) -> Void
    )
        async throws -> [Timing]
    {
        let (secret, hash) = AccessTokens.generate()
        let token = try await client.createToken(NewAPIToken(name: "bench", role: .admin, secretHash: hash))
        let session = try await client.startDashboardSession(for: token)
        let quiet = Logger(label: "bench.http", factory: { _ in SwiftLogNoOpLogHandler() })
        let feed = ActivityFeed(client: client, logger: quiet)
        let api = SluiceAPI(
            client: client, adIntel: adIntel, feed: feed, metrics: ServerMetrics(),
            configuration: SluiceServerConfiguration(port: 0))
        let port = PortBox()
        let app = api.application(logger: quiet) { bound in port.set(bound) }
        return try await withRunningServices([app, feed], logger: quiet) {
            let base = "http://127.0.0.1:\(try await port.value())"
            let someRun = try await client.runs(RunQuery(limit: 1)).items[0].id
            let deep = try await deepCursor(client: client)
            let pages: [(String, String)] = [
                ("API runs, newest 50", "/api/v1/runs?limit=50"),
                ("API runs, failed", "/api/v1/runs?state=failed&limit=50"),
                ("API runs, one brand", "/api/v1/runs?brand_id=\(brand.uuidString.lowercased())&limit=50"),
                ("API runs, job type", "/api/v1/runs?job_type=history&limit=50"),
                ("API runs, page 200 (cursor)", "/api/v1/runs?limit=50&cursor=\(deep)"),
                ("API jobs, newest 50", "/api/v1/jobs?limit=50"),
                ("API jobs, one brand", "/api/v1/jobs?brand_id=\(brand.uuidString.lowercased())&limit=50"),
                ("API run log", "/api/v1/runs/\(someRun)/logs"),
                ("Dashboard: Pipeline Manager", "/"),
                ("Dashboard: failed runs", "/?state=failed"),
                ("Dashboard: one brand's runs", "/?brand_id=\(brand.uuidString.lowercased())"),
                ("Dashboard: run detail", "/runs/\(someRun)"),
            ]
            var timings: [Timing] = []
            for (name, path) in pages {
                let latencies = try await time(base + path, secret: secret, session: session)
                let timing = Timing(
                    name: name, p50Milliseconds: percentile(latencies, 0.5),
                    p95Milliseconds: percentile(latencies, 0.95))
                log(
                    String(
                        format: "  %@: p50 %.2f ms, p95 %.2f ms", name, timing.p50Milliseconds, timing.p95Milliseconds))
                timings.append(timing)
            }
            return timings
        }
    }

    /// The cursor of the 200th page of 50 runs.
    private func deepCursor(client: SluiceClient) async throws -> String {
        var cursor: String?
        for _ in 0..<199 { cursor = try await client.runs(RunQuery(limit: 50, cursor: cursor)).nextCursor }
        return cursor ?? ""
    }

    /// 20 warm-up requests, then 200 timed ones, one at a time, with the API token and the dashboard session; each
    /// must answer 200.
    private func time(_ url: String, secret: String, session: String) async throws -> [Double] {
        var latencies: [Double] = []
        for index in 0..<220 {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Authorization", value: "Bearer \(secret)")
            request.headers.add(name: "Cookie", value: "sluice_session=\(session)")
            let start = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 16 << 20)
            let elapsed = (ContinuousClock.now - start).seconds * 1000
            guard response.status == .ok else { throw HistoryFailure(message: "\(url) answered \(response.status)") }
            if index >= 20 { latencies.append(elapsed) }
        }
        return latencies
    }

    /// Deletes every finished run with a zero retention; runs deleted per second.
    private func prune(_ store: any JobStore) async throws -> Double {
        let pruner = Pruner(
            store: store,
            configuration: Pruner.Configuration(
                retention: Pruner.Retention(succeeded: .zero, cancelled: .zero, failed: .zero)),
            logger: Logger(label: "bench"))
        let start = ContinuousClock.now
        var deleted = 0
        while true {
            let pass = try await pruner.pruneOnce()
            deleted += pass
            if pass == 0 { break }
        }
        return Double(deleted) / (ContinuousClock.now - start).seconds
    }
}

/// A failed history run, or a page that did not answer 200.
struct HistoryFailure: Error {
    var message = "this run fails, as every 20th does"
}

/// The port the server bound, handed from its start callback to the requests.
final class PortBox: Sendable {
    private let port = Mutex<Int?>(nil)

    func set(_ value: Int) { port.withLock { $0 = value } }

    func value() async throws -> Int {
        while true {
            if let value = port.withLock({ $0 }) { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
