import Foundation
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
                    }))
        }
    }
}

/// Runs `sluice-store-probe`, built next to the test bundle, as a second operating-system process.
enum ProbeProcess {
    static func claim(databasePath: String, jobType: String, batchSize: Int) async throws -> [Int64] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-probe-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let errors = folder.appendingPathComponent("err")
        let process = try SpawnedProcess(
            try SiblingExecutable.url(named: "sluice-store-probe").path,
            [
                "claim", databasePath, jobType, String(batchSize),
                "probe-\(ProcessInfo.processInfo.processIdentifier)",
            ], output: .file(output.path), errors: .file(errors.path))
        let status = await process.exitStatus(within: .seconds(120))
        let errorText = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard status == 0 else {
            await process.stop(grace: .zero)
            throw ProbeError(
                message: "probe exited with \(status.map(String.init) ?? "nothing in 120 s"): \(errorText)")
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int64($0) }
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
