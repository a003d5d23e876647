import Foundation
import PostgresNIO
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceStorePostgres
import SluiceTestSupport
import Testing

/// Real worker processes on a PostgreSQL server that is restarted under them, twice per case, while they drain a
/// backlog: every worker must reconnect and claim again by itself, every run must succeed exactly once, no attempt
/// number may be handed to two executions (it is the handlers' fencing token), and SIGTERM must end every worker
/// within its grace period afterwards.
@Suite("PostgreSQL restarts under real worker processes", .serialized)
struct DatabaseRestartTests {
    static let workers = 4
    static let runs = 600

    @Test("workers survive pg_ctl restart", arguments: ["immediate", "fast"])
    func restart(mode: String) async throws {
        // A cluster of this test's own (restarting the shared one would cut every other suite's connections), with
        // synchronous commit: an acknowledged commit survives the crash that `-m immediate` is.
        let server = TestPostgresServer(durability: .serverCrash, ownCluster: true)
        let endpoint = try await server.endpoint()
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ledger-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        let client = PostgresClient(configuration: endpoint.configuration(database: endpoint.adminDatabase))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresJobStore(
                client: client, configuration: StoreConfiguration(registry: LedgerJobTypes.registry))
            try await store.migrate()
            let ids = try await CrashTests.enqueue(store, count: Self.runs, sleepMilliseconds: 50)
            let password = endpoint.password.map { ":\($0)" } ?? ""
            let url =
                "postgres://\(endpoint.username)\(password)@\(endpoint.host):\(endpoint.port)/\(endpoint.adminDatabase)"
            let processes = try (0..<Self.workers).map {
                try WorkerProcess(id: "w\($0)", database: url, ledger: ledger, concurrency: 4)
            }
            do {
                for restart in 1...2 {
                    try await Self.waitForSucceeded(store, atLeast: restart * Self.runs / 4)
                    try await server.restart(mode: mode)
                }
                try await Self.waitForSucceeded(store, atLeast: ids.count)
                // Every worker still claims after the restarts: one run per slot of every worker, long enough that
                // all must be running at once, which only happens if each worker fills its 4 slots.
                let more = try await CrashTests.enqueue(store, count: 4 * Self.workers, sleepMilliseconds: 3000)
                _ = try await EngineFixture.eventually(timeout: .seconds(120)) { () async throws -> Bool? in
                    let running = try? await store.listRuns(RunQuery(states: [.running], limit: 100)).items
                    return running?.count == more.count ? true : nil
                }
                try await Self.waitForSucceeded(store, atLeast: ids.count + more.count)
                let entries = LedgerEntry.read(from: ledger)
                let lateWorkers = Set(entries.filter { more.contains($0.runID) }.map(\.workerID))
                #expect(lateWorkers.count == Self.workers, "only \(lateWorkers.sorted()) claimed after the restarts")
                for process in processes { process.send(SIGTERM) }
                let stopping = ContinuousClock.now
                for process in processes { #expect(await process.waitForExit() == 0) }
                #expect(ContinuousClock.now - stopping < .seconds(20), "a worker ignored SIGTERM")
                Self.expectEachAttemptOnce(entries, runs: ids + more)
            } catch {
                for process in processes { await process.stop() }
                throw error
            }
        }
    }

    /// Waits until at least `count` runs succeeded; a query that fails while the server restarts is tried again.
    static func waitForSucceeded(_ store: PostgresJobStore, atLeast count: Int) async throws {
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

    /// Each run ended once, and no attempt number of a run was started twice.
    static func expectEachAttemptOnce(_ entries: [LedgerEntry], runs: [Int64]) {
        let starts = Dictionary(grouping: entries.filter { $0.event == "start" }) { "\($0.runID)#\($0.attempt)" }
        for (attempt, lines) in starts where lines.count > 1 {
            Issue.record("attempt \(attempt) was executed \(lines.count) times: \(lines.map(\.workerID))")
        }
        let ends = Dictionary(grouping: entries.filter { $0.event == "end" }, by: \.runID)
        for id in runs where ends[id] == nil { Issue.record("run \(id) never ended") }
    }
}
