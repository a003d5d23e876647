import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

/// Real worker processes, killed, stalled and stopped; every execution is recorded in a ledger file.
@Suite("Crash and concurrency with real worker processes", .serialized)
struct CrashTests {
    /// A fresh database and ledger.
    static func withSetup(
        _ backend: TestBackend,
        _ body: @Sendable (any JobStore, _ database: String, _ ledger: String) async throws -> Void
    ) async throws {
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ledger-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        try await backend.withDatabase(configuration: StoreConfiguration(registry: LedgerJobTypes.registry)) {
            database in
            try await EngineFixture.createBrand(in: database.stores[0])
            return try await body(database.stores[0], database.location, ledger)
        }
    }

    static func enqueue(_ store: any JobStore, count: Int, sleepMilliseconds: Int) async throws -> [Int64] {
        try await store.insertJobs(
            (0..<count).map { _ in
                JobRequest(
                    brandID: EngineFixture.brand, jobType: "ledger_sleep",
                    parameters: ["sleep_ms": .int(Int64(sleepMilliseconds))])
            }
        ).compactMap(\.run?.id)
    }

    static func running(_ store: any JobStore, on worker: String) async throws -> [Run] {
        try await store.listRuns(RunQuery(states: [.running], limit: 1000)).items.filter { $0.workerID == worker }
    }

    static func waitUntilAllSucceeded(_ store: any JobStore, _ ids: [Int64]) async throws {
        try await EngineFixture.eventually(timeout: .seconds(180)) {
            let succeeded = try await store.listRuns(RunQuery(states: [.succeeded], limit: 1000)).items.count
            return succeeded == ids.count ? true : nil
        }
    }

    /// Stops `worker` (SIGSTOP) at a moment it holds no write transaction, proven by a write of this process that
    /// completes. On SQLite a process stopped inside a write transaction keeps the database's single write lock, and
    /// every other process waits until it resumes: a limit of an embedded database, which this test does not
    /// exercise. On PostgreSQL the probe always completes at once.
    static func stop(_ worker: WorkerProcess, outsideWritesOf store: any JobStore) async throws {
        for attempt in 1...20 {
            worker.send(SIGSTOP)
            do {
                _ = try await store.acquireLease(
                    LeaderLeaseRequest(name: "stall-probe", holder: "test", ttl: .seconds(1)))
                return
            } catch  where attempt < 20 {
                worker.send(SIGCONT)
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Checks that no two executions of one run overlapped in time. An execution that never wrote its end line
    /// ended at `cutoffs[worker]` (when its process was killed or stopped), or else at its worker's last line.
    static func expectNoOverlap(_ entries: [LedgerEntry], cutoffs: [String: UInt64]) {
        for (runID, lines) in Dictionary(grouping: entries, by: \.runID) {
            let executions = Dictionary(grouping: lines) { "\($0.workerID)#\($0.attempt)" }.values.map { lines in
                let start = lines.first { $0.event == "start" }?.nanoseconds ?? 0
                let end = lines.first { $0.event == "end" }?.nanoseconds ?? cutoffs[lines[0].workerID] ?? .max
                return (start: start, end: end, owner: lines[0].workerID)
            }.sorted { $0.start < $1.start }
            for (earlier, later) in zip(executions, executions.dropFirst()) {
                #expect(earlier.end <= later.start, "run \(runID): \(earlier.owner) and \(later.owner) overlapped")
            }
        }
    }

    @Test(
        "kill -9 of a worker mid-run: every run still completes on the other, none runs twice at once",
        arguments: TestBackend.allCases)
    func killNine(backend: TestBackend) async throws {
        try await Self.withSetup(backend) { store, database, ledger in
            let ids = try await Self.enqueue(store, count: 30, sleepMilliseconds: 300)
            // The victim starts alone, so that it surely holds runs when it is killed, however slowly processes
            // start on a loaded machine (a survivor started beside it could drain all 30 runs first).
            let victim = try WorkerProcess(id: "victim", database: database, ledger: ledger)
            var survivor: WorkerProcess?
            do {
                let held = try await EngineFixture.eventually {
                    let runs = try await Self.running(store, on: "victim")
                    return runs.isEmpty ? nil : runs
                }
                survivor = try WorkerProcess(id: "survivor", database: database, ledger: ledger)
                let killedAt = LedgerEntry.now()
                victim.send(SIGKILL)
                #expect(await victim.waitForExit() == SIGKILL)
                try await Self.waitUntilAllSucceeded(store, ids)
                survivor?.send(SIGTERM)
                #expect(await survivor?.waitForExit() == 0)
                let entries = LedgerEntry.read(from: ledger)
                Self.expectNoOverlap(entries, cutoffs: ["victim": killedAt])
                for id in ids {
                    #expect(entries.contains { $0.runID == id && $0.event == "end" }, "run \(id) never ended")
                }
                // A run the victim finished may run again only if it finished just before the kill, before its
                // completion could be recorded (at-least-once; a loaded machine may take seconds to record it); any
                // earlier finished run never runs again.
                for entry in entries where entry.workerID == "victim" && entry.event == "end" {
                    let rerun = entries.contains {
                        $0.runID == entry.runID && $0.event == "start" && $0.workerID != "victim"
                    }
                    #expect(!rerun || killedAt - entry.nanoseconds < 5_000_000_000, "run \(entry.runID) ran again")
                }
                // A run seen running on the victim that it did not finish before the kill ran again.
                let finishedByVictim = Set(
                    entries.filter { $0.workerID == "victim" && $0.event == "end" }.map(\.runID))
                for run in held where !finishedByVictim.contains(run.id) {
                    #expect(try await store.run(id: run.id).attempt >= 2)
                }
            } catch {
                await victim.stop()
                await survivor?.stop()
                throw error
            }
            await survivor?.stop()
        }
    }

    @Test(
        "a worker stalled past its lease (SIGSTOP) loses its runs and records nothing after SIGCONT",
        arguments: TestBackend.allCases)
    func stalledWorker(backend: TestBackend) async throws {
        try await Self.withSetup(backend) { store, database, ledger in
            let ids = try await Self.enqueue(store, count: 6, sleepMilliseconds: 1500)
            let stalled = try WorkerProcess(id: "stalled", database: database, ledger: ledger, concurrency: 6)
            var other: WorkerProcess?
            do {
                try await EngineFixture.eventually {
                    try await Self.running(store, on: "stalled").count == 6 ? true : nil
                }
                try await Self.stop(stalled, outsideWritesOf: store)
                let stoppedAt = LedgerEntry.now()
                other = try WorkerProcess(id: "other", database: database, ledger: ledger, concurrency: 6)
                try await Self.waitUntilAllSucceeded(store, ids)
                stalled.send(SIGCONT)
                // The stalled worker is alive again once it heartbeats after the resume.
                let resumedAt = Date()
                try await EngineFixture.eventually {
                    let seen = try await store.workers(seenSince: resumedAt.addingTimeInterval(0.5))
                    return seen.contains { $0.info.id == "stalled" } ? true : nil
                }
                try await Task.sleep(for: .milliseconds(500))
                stalled.send(SIGTERM)
                other?.send(SIGTERM)
                #expect(await stalled.waitForExit() == 0)
                #expect(await other?.waitForExit() == 0)
                let entries = LedgerEntry.read(from: ledger)
                #expect(!entries.contains { $0.workerID == "stalled" && $0.event == "end" })
                for id in ids {
                    #expect(entries.filter { $0.runID == id && $0.event == "end" }.map(\.workerID) == ["other"])
                    #expect(try await store.run(id: id).workerID == "other")
                }
                Self.expectNoOverlap(entries, cutoffs: ["stalled": stoppedAt])
            } catch {
                await stalled.stop()
                await other?.stop()
                throw error
            }
        }
    }

    @Test(
        "SIGTERM releases a worker's unfinished runs at once without spending an attempt",
        arguments: TestBackend.allCases)
    func gracefulTermination(backend: TestBackend) async throws {
        try await Self.withSetup(backend) { store, database, ledger in
            let ids = try await Self.enqueue(store, count: 4, sleepMilliseconds: 4000)
            let leaving = try WorkerProcess(id: "leaving", database: database, ledger: ledger, graceMilliseconds: 300)
            var taking: WorkerProcess?
            do {
                try await EngineFixture.eventually {
                    try await Self.running(store, on: "leaving").count == 4 ? true : nil
                }
                leaving.send(SIGTERM)
                #expect(await leaving.waitForExit() == 0)
                for id in ids {
                    let run = try await store.run(id: id)
                    #expect(run.state == .queued && run.attempt == 0)
                }
                taking = try WorkerProcess(id: "taking", database: database, ledger: ledger)
                try await Self.waitUntilAllSucceeded(store, ids)
                for id in ids { #expect(try await store.run(id: id).attempt == 1) }
                taking?.send(SIGTERM)
                #expect(await taking?.waitForExit() == 0)
            } catch {
                await leaving.stop()
                await taking?.stop()
                throw error
            }
        }
    }
}
