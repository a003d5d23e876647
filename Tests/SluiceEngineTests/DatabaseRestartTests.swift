import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

/// Real worker processes on a PostgreSQL server that is restarted under them, twice per case, while they drain a
/// backlog: every worker must reconnect and claim again by itself, every run must succeed exactly once, no attempt
/// number may be handed to two executions (it is the handlers' fencing token), and SIGTERM must end every worker
/// within its grace period afterwards.
@Suite("PostgreSQL restarts under real worker processes", .serialized)
struct DatabaseRestartTests {
    static let workers = ["w0", "w1", "w2", "w3"]
    static let runs = 600

    @Test("workers survive pg_ctl restart", arguments: ["immediate", "fast"])
    func restart(mode: String) async throws {
        // A cluster of this test's own (restarting the shared one would cut every other suite's connections), with
        // synchronous commit: an acknowledged commit survives the crash that `-m immediate` is.
        let server = TestPostgresServer(durability: .serverCrash, ownCluster: true)
        try await WorkerFleet.with(server, runs: Self.runs, sleepMilliseconds: 50, workers: Self.workers) { fleet in
            for restart in 1...2 {
                try await fleet.waitForSucceeded(atLeast: restart * Self.runs / 4)
                try await server.restart(mode: mode)
            }
            try await fleet.waitForSucceeded(atLeast: fleet.runs.count)
            // Every worker still claims after the restarts: one run per slot of every worker, long enough that all
            // must be running at once, which only happens if each worker fills its 4 slots.
            let more = try await CrashTests.enqueue(fleet.store, count: 4 * Self.workers.count, sleepMilliseconds: 3000)
            _ = try await EngineFixture.eventually(timeout: .seconds(120)) { () async throws -> Bool? in
                let running = try? await fleet.store.listRuns(RunQuery(states: [.running], limit: 100)).items
                return running?.count == more.count ? true : nil
            }
            try await fleet.waitForSucceeded(atLeast: fleet.runs.count + more.count)
            let entries = LedgerEntry.read(from: fleet.ledger)
            let lateWorkers = Set(entries.filter { more.contains($0.runID) }.map(\.workerID))
            #expect(lateWorkers.count == Self.workers.count, "only \(lateWorkers.sorted()) claimed after the restarts")
            await fleet.terminate()
            WorkerFleet.expectEachAttemptOnce(entries, runs: fleet.runs + more)
        }
    }
}
