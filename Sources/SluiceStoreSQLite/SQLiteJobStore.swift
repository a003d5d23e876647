import Foundation
import GRDB
import SluiceCore
import SluiceStore

/// The embedded job store: one SQLite file in WAL mode, one writer at a time (`BEGIN IMMEDIATE`), a busy timeout
/// for writers in other processes, and readers that never block.
///
/// ```swift
/// let store = try SQLiteJobStore(path: "sluice.sqlite", configuration: StoreConfiguration(registry: registry))
/// let inserted = try await store.insertJob(JobRequest(brandID: brand, jobType: "meta_sync"))
/// ```
///
/// Several processes may open the same file (they serialize on SQLite's write lock); for several hosts use
/// `PostgresJobStore`.
public struct SQLiteJobStore: JobStore {
    let pool: DatabasePool
    public let configuration: StoreConfiguration

    public var capabilities: StoreCapabilities {
        StoreCapabilities(
            supportsNotifications: false, supportsMultipleHosts: false, timePrecision: .microseconds(1),
            claimsWithCompletions: true)
    }

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// - Parameter busyTimeout: how long a writer waits for another process's write lock. Defaults to 10 seconds.
    /// - Throws: ``SluiceError/Code/storageFailure`` when the file cannot be opened or migrated.
    public init(path: String, configuration: StoreConfiguration, busyTimeout: Duration = .seconds(10)) throws {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout.seconds)
        config.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: durable across process crashes; a power loss may drop the last commits.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try SQLiteMigrations.apply(to: pool)
        } catch {
            throw SluiceError(.storageFailure, "cannot open SQLite database: \(Self.describe(error))")
        }
        self.configuration = configuration
    }

    /// Runs `body` in an immediate write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw SluiceError(.storageFailure, "transaction produced no result") }
                return result
            }
        } catch let error as SluiceError {
            throw error
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs `body` on a reader.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as SluiceError {
            throw error
        } catch {
            throw Self.mapped(error)
        }
    }

    private static func mapped(_ error: any Error) -> SluiceError {
        if let error = error as? DatabaseError, error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return SluiceError(.conflict, "another active job holds the same uniqueness key", field: "unique_key")
        }
        // The brand rule's triggers (migrations 7 and 8) abort with the names PostgreSQL's foreign keys have.
        if let error = error as? DatabaseError, error.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER,
            error.message?.hasSuffix("_brand_id_fkey") == true
        {
            return BrandRules.missingReference
        }
        return SluiceError(.storageFailure, "SQLite failed: \(describe(error))")
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return String(describing: error) }
        return "\(error.resultCode) \(error.message ?? "")"
    }
}
