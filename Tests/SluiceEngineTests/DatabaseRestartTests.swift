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
            // Every worker still claims after the restarts: 12 runs of 3 s per worker keep the others' slots busy
            // for 12 s, far longer than a healthy worker takes to claim (a notification, or its 1 s poll at worst,
            // even on a loaded machine), so each worker must be in the ledger for them. (Requiring all slots to be
            // busy at one moment was a flaky proxy: under load the first runs ended before the last were claimed.)
            let more = try await CrashTests.enqueue(
                fleet.store, count: 12 * Self.workers.count, sleepMilliseconds: 3000)
            try await fleet.waitForSucceeded(atLeast: fleet.runs.count + more.count)
            let entries = LedgerEntry.read(from: fleet.ledger)
            let lateWorkers = Set(entries.filter { more.contains($0.runID) }.map(\.workerID))
            let perWorker = Dictionary(grouping: entries.filter { more.contains($0.runID) && $0.event == "start" }) {
                $0.workerID
            }.mapValues(\.count)
            #expect(lateWorkers.count == Self.workers.count, "runs claimed after the restarts, by worker: \(perWorker)")
            await fleet.terminate()
            WorkerFleet.expectEachAttemptOnce(entries, runs: fleet.runs + more)
        }
    }
}
