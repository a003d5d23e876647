import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

/// Real worker processes cut off from PostgreSQL by a network partition (the database on a host of its own, a
/// network namespace whose link is taken down): nothing tells either end, so only the workers' own deadlines notice.
/// After the link comes back every worker must claim again within seconds, every run must succeed, and SIGTERM must
/// still end each worker promptly.
@Suite("PostgreSQL cut off from real worker processes", .serialized)
struct DatabasePartitionTests {
    static let outage = Duration.seconds(20)

    @Test("workers resume within 15 s of the heal after a 20 s partition")
    func partition() async throws {
        await NetworkChangeLock.shared.acquire()
        let network: TestNetworkNamespace
        do {
            network = try TestNetworkNamespace.create()
        } catch {
            await NetworkChangeLock.shared.release()
            throw error
        }
        defer {
            network.remove()
            Task { await NetworkChangeLock.shared.release() }
        }
        let server = TestPostgresServer(durability: .serverCrash, network: network)
        // Enough work that either worker alone would still be busy for half a minute after the heal.
        try await WorkerFleet.with(
            server, runs: 600, sleepMilliseconds: 200, workers: ["p0", "p1"], capturingLogs: true
        ) { fleet in
            try await fleet.waitForSucceeded(atLeast: 40)
            try network.setLink(up: false)
            do {
                try await Task.sleep(for: Self.outage)  // the partition itself: its length is what is under test
            } catch {
                try? network.setLink(up: true)
                throw error
            }
            try network.setLink(up: true)
            let healedAt = LedgerEntry.now()
            try await fleet.waitForSucceeded(atLeast: fleet.runs.count)
            let entries = LedgerEntry.read(from: fleet.ledger)
            for process in fleet.processes {
                let resumed = entries.filter { $0.workerID == process.id && $0.event == "start" }
                    .map(\.nanoseconds).filter { $0 > healedAt }.min()
                let seconds = resumed.map { Double($0 - healedAt) / 1e9 }
                #expect(
                    seconds.map { $0 < 15 } == true, "\(process.id) first claimed \(seconds ?? -1) s after the heal")
            }
            await fleet.terminate()
            WorkerFleet.expectEachAttemptOnce(entries, runs: fleet.runs)
            for process in fleet.processes {
                // The outage is logged once when heartbeats start failing, and its end once they get through again.
                let lines = process.logLines()
                let failed = lines.filter { $0.contains("heartbeat failed") }.count
                let resumed = lines.filter { $0.contains("heartbeats resumed") }.count
                // (A last failure without its resumption may come from the shutdown itself.)
                #expect(
                    (1...3).contains(failed) && resumed >= 1 && resumed <= failed,
                    "\(process.id) logged \(failed) heartbeat failures and \(resumed) resumptions:\n\(lines.suffix(30).joined(separator: "\n"))"
                )
            }
        }
    }
}
