import Foundation
import PostgresNIO
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceStorePostgres
import SluiceTestSupport
import Testing

/// Real `sluice-test-worker` processes on a PostgreSQL server of a test's own, with a backlog of `ledger_sleep` runs:
/// the setting of the database-fault tests.
struct WorkerFleet {
    let store: PostgresJobStore
    let runs: [Int64]
    let processes: [WorkerProcess]
    let ledger: String

    /// Migrates `server`'s admin database, enqueues `runs` runs sleeping `sleepMilliseconds`, starts one worker
    /// process per name (4 runs at once each), and runs `body`; the processes are killed if `body` throws. With
    /// `capturingLogs` each worker logs to a file of its own (``WorkerProcess/logLines()``) instead of the test's
    /// standard error.
    static func with(
        _ server: TestPostgresServer, runs count: Int, sleepMilliseconds: Int, workers: [String],
        capturingLogs: Bool = false, _ body: (WorkerFleet) async throws -> Void
    ) async throws {
        let endpoint = try await server.endpoint()
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ledger-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        let client = PostgresClient(configuration: endpoint.configuration(database: endpoint.adminDatabase))
        try await PostgresPool.running([client]) {
            let store = PostgresJobStore(
                client: client, configuration: StoreConfiguration(registry: LedgerJobTypes.registry))
            try await store.migrate()
            try await EngineFixture.createBrand(in: store)
            let runs = try await CrashTests.enqueue(store, count: count, sleepMilliseconds: sleepMilliseconds)
            let password = endpoint.password.map { ":\($0)" } ?? ""
            let url =
                "postgres://\(endpoint.username)\(password)@\(endpoint.host):\(endpoint.port)/\(endpoint.adminDatabase)"
            let processes = try workers.map { id in
                let logFile = capturingLogs ? "\(ledger).\(id).log" : nil
                return try WorkerProcess(id: id, database: url, ledger: ledger, concurrency: 4, logFile: logFile)
            }
            defer {
                for process in processes { process.logFile.map { try? FileManager.default.removeItem(atPath: $0) } }
            }
            do {
                try await body(WorkerFleet(store: store, runs: runs, processes: processes, ledger: ledger))
            } catch {
                for process in processes { await process.stop() }
                throw error
            }
        }
    }

    /// Sends SIGTERM to every worker and expects each to exit 0, all within 20 seconds.
    func terminate() async {
        for process in processes { process.send(SIGTERM) }
        let stopping = ContinuousClock.now
        for process in processes { #expect(await process.waitForExit() == 0) }
        #expect(ContinuousClock.now - stopping < .seconds(20), "a worker ignored SIGTERM")
    }

    /// Waits until at least `count` runs succeeded; a query that fails while the database is away is tried again.
    func waitForSucceeded(atLeast count: Int) async throws {
        _ = try await EngineFixture.eventually(timeout: .seconds(180)) { () async throws -> Bool? in
            let page = try? await store.listRuns(RunQuery(states: [.succeeded], limit: 1000))
            guard let page else { return nil }
            var succeeded = page.items.count
            var cursor = page.nextCursor
            while let next = cursor, succeeded < count {
                guard let more = try? await store.listRuns(RunQuery(states: [.succeeded], limit: 1000, cursor: next))
                else { return nil }
                succeeded += more.items.count
                cursor = more.nextCursor
            }
            return succeeded >= count ? true : nil
        }
    }

    /// Each run ended, and no attempt number of a run was started twice (it is the handlers' fencing token).
    static func expectEachAttemptOnce(_ entries: [LedgerEntry], runs: [Int64]) {
        let starts = Dictionary(grouping: entries.filter { $0.event == "start" }) { "\($0.runID)#\($0.attempt)" }
        for (attempt, lines) in starts where lines.count > 1 {
            Issue.record("attempt \(attempt) was executed \(lines.count) times: \(lines.map(\.workerID))")
        }
        let ends = Dictionary(grouping: entries.filter { $0.event == "end" }, by: \.runID)
        for id in runs where ends[id] == nil { Issue.record("run \(id) never ended") }
    }
}
