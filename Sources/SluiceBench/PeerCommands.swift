import Foundation
import PostgresNIO
import SluiceCore
import SluiceProbeJobs
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite

/// `sluice-bench peer …`: Sluice's side of `bench/compare` (see its PROTOCOL.md), through the store API on a
/// database that real `sluice worker --probe-job-types` processes serve:
///
///     sluice-bench peer enqueue --database LOCATION --count N [--sleep-ms MS --ledger PATH]
///     sluice-bench peer spaced --database LOCATION --count N --spacing-ms MS --ledger PATH
///
/// `enqueue` inserts `probe_sleep` jobs in batches of 1 000 (the batch API, as an application would) and prints
/// `{"seconds": S}` for the inserts alone. `spaced` inserts one job at a time, `spacing-ms` apart, and appends
/// `enqueued <run id> <CLOCK_MONOTONIC ns taken before the insert>` to the ledger, where the handler writes its
/// `start` line.
enum PeerCommands {
    static let brand = UUID(uuidString: "0B000000-0000-4000-8000-00000000C0DE")!

    static func run(_ arguments: [String]) async throws {
        guard let command = arguments.first, let location = value("--database", in: arguments) else {
            throw BenchError("usage: sluice-bench peer enqueue|spaced --database LOCATION …")
        }
        let count = Int(value("--count", in: arguments) ?? "") ?? 20_000
        let ledger = value("--ledger", in: arguments)
        try await withStore(location) { store in
            try await createBrand(in: store)
            switch command {
            case "enqueue":
                let sleep = Int(value("--sleep-ms", in: arguments) ?? "") ?? 0
                let seconds = try await enqueue(count, sleepMilliseconds: sleep, ledger: ledger, into: store)
                print(#"{"seconds": \#(seconds)}"#)
            case "spaced":
                guard let ledger else { throw BenchError("spaced needs --ledger") }
                let spacing = Int(value("--spacing-ms", in: arguments) ?? "") ?? 20
                try await spaced(count, spacing: .milliseconds(spacing), ledger: ledger, into: store)
            default:
                throw BenchError("unknown peer command \(command): use enqueue or spaced")
            }
        }
    }

    static func request(sleepMilliseconds: Int, ledger: String?) -> JobRequest {
        var parameters: JSONObject = ["sleep_ms": .int(Int64(sleepMilliseconds))]
        if let ledger { parameters["ledger"] = .string(ledger) }
        return JobRequest(brandID: brand, jobType: ProbeJobTypes.sleep.name, parameters: parameters)
    }

    static func enqueue(
        _ count: Int, sleepMilliseconds: Int, ledger: String?, into store: any JobStore
    ) async throws
        -> Double
    {
        let job = request(sleepMilliseconds: sleepMilliseconds, ledger: ledger)
        let started = ContinuousClock.now
        for batch in stride(from: 0, to: count, by: 1000) {
            _ = try await store.insertJobs(Array(repeating: job, count: min(1000, count - batch)))
        }
        return (ContinuousClock.now - started).seconds
    }

    static func spaced(_ count: Int, spacing: Duration, ledger: String, into store: any JobStore) async throws {
        let job = request(sleepMilliseconds: 0, ledger: ledger)
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<count {
            try await clock.sleep(until: start + spacing * index)
            let before = LedgerEntry.now()
            let inserted = try await store.insertJob(job)
            LedgerEntry.appendLine("enqueued \(inserted.run?.id ?? 0) \(before)", to: ledger)
        }
    }

    /// Opens the store at `location` (a SQLite path or a `postgres://` URL) for `body`.
    static func withStore(_ location: String, _ body: @Sendable (any JobStore) async throws -> Void) async throws {
        let configuration = StoreConfiguration(registry: try JobTypeRegistry(ProbeJobTypes.all))
        guard location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") else {
            try await body(try SQLiteJobStore(path: location, configuration: configuration))
            return
        }
        let client = PostgresClient(configuration: try PostgresJobStore.clientConfiguration(url: location))
        try await PostgresPool.running([client]) {
            try await body(PostgresJobStore(client: client, configuration: configuration))
        }
    }

    /// Creates the peer commands' brand, unless an earlier command on this database did.
    static func createBrand(in store: any JobStore) async throws {
        do {
            _ = try await store.createBrand(id: brand, name: "Bench peer")
        } catch let error as SluiceError where error.code == .conflict {
            return
        }
    }

    /// The value after `flag` in `arguments`.
    static func value(_ flag: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
