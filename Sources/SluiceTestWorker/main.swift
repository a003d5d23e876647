// A worker process for the crash tests: runs a Sluice worker (with a rescuer) on a database until SIGTERM/SIGINT,
// executing `ledger_sleep`, which records its executions in a ledger file.
//
// Usage: sluice-test-worker DATABASE LEDGER_PATH WORKER_ID CONCURRENCY LEASE_MS HEARTBEAT_MS GRACE_MS
//   DATABASE is a SQLite file path or a postgres:// URL.

import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite
import SluiceTestSupport

let arguments = CommandLine.arguments
guard arguments.count == 8, let concurrency = Int(arguments[4]), let leaseMilliseconds = Int(arguments[5]),
    let heartbeatMilliseconds = Int(arguments[6]), let graceMilliseconds = Int(arguments[7])
else {
    FileHandle.standardError.write(
        Data("usage: sluice-test-worker DATABASE LEDGER WORKER_ID CONCURRENCY LEASE_MS HEARTBEAT_MS GRACE_MS\n".utf8))
    exit(64)
}
let (database, ledger, workerID) = (arguments[1], arguments[2], arguments[3])
var logger = Logger(label: "sluice-test-worker")
// Notices too: a worker says when claiming and heartbeats resume after a database fault.
logger.logLevel = .notice

var handlers = HandlerRegistry()
handlers.register("ledger_sleep") { context in
    let sleep = Duration.milliseconds(try context.parameters.int("sleep_ms"))
    LedgerEntry.append(
        event: "start", runID: context.run.id, attempt: context.run.attempt, workerID: workerID, to: ledger)
    let deadline = ContinuousClock.now.advanced(by: sleep)
    while ContinuousClock.now < deadline {
        try context.checkCancellation()
        try await Task.sleep(for: .milliseconds(10))
    }
    try context.checkCancellation()
    LedgerEntry.append(
        event: "end", runID: context.run.id, attempt: context.run.attempt, workerID: workerID, to: ledger)
    return JobOutcome(result: ["slept_ms": .int(Int64(sleep.components.seconds * 1000))])
}

do {
    let storeConfiguration = StoreConfiguration(registry: LedgerJobTypes.registry)
    var services: [any Service] = []
    let store: any JobStore
    if database.hasPrefix("postgres") {
        let client = PostgresClient(
            configuration: try PostgresJobStore.clientConfiguration(url: database), backgroundLogger: logger)
        // Not a service: the process must be able to stop without waiting for the pool (see StoreSession).
        _ = Task { await client.run() }
        store = PostgresJobStore(client: client, configuration: storeConfiguration, logger: logger)
    } else {
        store = try SQLiteJobStore(path: database, configuration: storeConfiguration)
    }
    let worker = try Worker(
        store: store, registry: LedgerJobTypes.registry, handlers: handlers,
        configuration: WorkerConfiguration(
            id: workerID, concurrency: concurrency, leaseDuration: .milliseconds(leaseMilliseconds),
            heartbeatInterval: .milliseconds(heartbeatMilliseconds),
            shutdownGracePeriod: .milliseconds(graceMilliseconds)),
        logger: logger)
    services +=
        [
            worker,
            Rescuer(store: store, configuration: Rescuer.Configuration(interval: .milliseconds(200)), logger: logger),
        ] as [any Service]
    var group = ServiceGroupConfiguration(
        services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.bound(byGracePeriod: .milliseconds(graceMilliseconds))
    FileHandle.standardOutput.write(Data("ready \(workerID)\n".utf8))
    try await ServiceGroup(configuration: group).run()
} catch {
    FileHandle.standardError.write(Data("sluice-test-worker: \(error)\n".utf8))
    exit(1)
}
