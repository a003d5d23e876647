// A second process for the SQLite store's cross-process tests: claims every due run of one job type from a
// database file, in batches, and prints each claimed run id on its own line.
//
// Usage: sluice-store-probe claim DATABASE_PATH JOB_TYPE BATCH_SIZE WORKER_ID

import Foundation
import SluiceCore
import SluiceStore
import SluiceStoreSQLite

let arguments = CommandLine.arguments
guard arguments.count == 6, arguments[1] == "claim", let batchSize = Int(arguments[4]) else {
    FileHandle.standardError.write(
        Data("usage: sluice-store-probe claim DATABASE_PATH JOB_TYPE BATCH_SIZE WORKER_ID\n".utf8))
    exit(64)
}
let (path, jobType, workerID) = (arguments[2], arguments[3], arguments[5])
do {
    let registry = try JobTypeRegistry([JobType(name: jobType, label: jobType)])
    let store = try SQLiteJobStore(path: path, configuration: StoreConfiguration(registry: registry))
    var claimed: [Int64] = []
    while true {
        let runs = try await store.claimRuns(ClaimRequest(workerID: workerID, jobTypes: [jobType], limit: batchSize))
        if runs.isEmpty { break }
        claimed += runs.map(\.id)
    }
    print(claimed.map(String.init).joined(separator: "\n"))
} catch {
    FileHandle.standardError.write(Data("sluice-store-probe: \(error)\n".utf8))
    exit(1)
}
