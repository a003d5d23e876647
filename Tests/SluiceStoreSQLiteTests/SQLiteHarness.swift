import Foundation
import GRDB
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStoreSQLite
import SluiceTestSupport

/// Runs conformance cases on a fresh SQLite file per case; each store is its own `DatabasePool`.
struct SQLiteHarness: StoreHarness {
    func withDatabase(
        storeCount: Int, configuration: StoreConfiguration, _ body: @Sendable (StoreFixture) async throws -> Void
    ) async throws {
        guard let clock = configuration.clock as? ManualWallClock else {
            preconditionFailure("cases use a manual clock")
        }
        try await TestBackend.sqlite.withDatabase(stores: storeCount, configuration: configuration) { database in
            try await body(
                StoreFixture(
                    stores: database.stores, clock: clock,
                    claimInOtherProcess: { jobType, batchSize in
                        try await ProbeProcess.claim(
                            databasePath: database.location, jobType: jobType, batchSize: batchSize)
                    },
                    runTables: { try Self.runTables(at: database.location) }))
        }
    }

    /// Reads the run tables through a connection of its own.
    static func runTables(at path: String) throws -> RunTables {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            RunTables(
                queue: Set(try Int64.fetchAll(db, sql: "SELECT id FROM run_queue")),
                history: Set(try Int64.fetchAll(db, sql: "SELECT id FROM run_history")),
                logged: Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT run_id FROM run_logs")),
                jobRows: Set(try Int64.fetchAll(db, sql: "SELECT id FROM jobs")))
        }
    }
}

/// Runs `sluice-store-probe`, built next to the test bundle, as a second operating-system process.
enum ProbeProcess {
    static func claim(databasePath: String, jobType: String, batchSize: Int) async throws -> [Int64] {
        let run = try await SpawnedProcess.capture(
            try SiblingExecutable.url(named: "sluice-store-probe").path,
            [
                "claim", databasePath, jobType, String(batchSize),
                "probe-\(ProcessInfo.processInfo.processIdentifier)",
            ], timeout: .seconds(120))
        guard run.status == 0 else {
            throw ProbeError(
                message: "probe exited with \(run.status.map(String.init) ?? "nothing in 120 s"): \(run.errors)")
        }
        let text = run.output
        return text.split(separator: "\n").compactMap { Int64($0) }
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
