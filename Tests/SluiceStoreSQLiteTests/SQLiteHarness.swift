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
        let process = Process()
        process.executableURL = try SiblingExecutable.url(named: "sluice-store-probe")
        process.arguments = [
            "claim", databasePath, jobType, String(batchSize), "probe-\(ProcessInfo.processInfo.processIdentifier)",
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = {
                continuation.yield($0.terminationStatus); continuation.finish()
            }
        }
        try process.run()
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        let errorText = String(decoding: try errors.fileHandleForReading.readToEnd() ?? Data(), as: UTF8.self)
        var status: Int32 = -1
        for await code in exited { status = code }
        guard status == 0 else { throw ProbeError(message: "probe exited with \(status): \(errorText)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int64($0) }
    }
}

struct ProbeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
