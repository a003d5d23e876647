import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore

/// The multi-node job store on PostgreSQL: any number of processes on any hosts share one database.
/// Claims use `FOR UPDATE SKIP LOCKED`, uniqueness a partial unique index, concurrency limits an advisory lock
/// per limited job type.
///
/// The store does not own its `PostgresClient`'s lifetime: `client.run()` must be running (as a `Service` in a
/// `ServiceGroup`, or a child task) while the store is used.
///
/// ```swift
/// let client = PostgresClient(configuration: try PostgresJobStore.clientConfiguration(url: url))
/// async let running: Void = client.run()
/// let store = PostgresJobStore(client: client, configuration: StoreConfiguration(registry: registry))
/// try await store.migrate()
/// ```
public struct PostgresJobStore: JobStore {
    /// The connection pool.
    public let client: PostgresClient
    let configuration: StoreConfiguration
    let logger: Logger

    public var capabilities: StoreCapabilities {
        StoreCapabilities(supportsNotifications: true, supportsMultipleHosts: true, timePrecision: .microseconds(1))
    }

    /// Creates a store on a client whose `run()` is (or will be) running. Call ``migrate()`` before use.
    public init(
        client: PostgresClient, configuration: StoreConfiguration, logger: Logger = Logger(label: "sluice.store")
    ) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Applies pending migrations; safe to call from many processes at once.
    /// - Throws: ``SluiceError/Code/storageFailure`` when the database is unreachable or a migration fails, with the
    ///   server's message when it sent one (such as a refused password or a missing database).
    public func migrate() async throws {
        do {
            try await PostgresMigrations.apply(on: client, logger: logger)
        } catch let error as PSQLError {
            guard let message = error.serverInfo?[.message] else { throw Self.mapped(error) }
            throw SluiceError(.storageFailure, "\(Self.mapped(error).message): \(message)")
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs `body` in a transaction; errors become ``SluiceError``s.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs one statement outside a transaction and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await Self.rows(query, on: client.query(query, logger: logger))
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs one statement on `connection` and returns its rows.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        try await Self.rows(query, on: connection.query(query, logger: logger))
    }

    private static func rows(
        _ query: PostgresQuery, on sequence: PostgresRowSequence
    ) async throws
        -> [PostgresRandomAccessRow]
    {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in sequence { rows.append(row.makeRandomAccess()) }
        return rows
    }

    static func mapped(_ error: any Error) -> SluiceError {
        if let error = error as? SluiceError { return error }
        if let error = error as? PostgresTransactionError {
            return mapped(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            if state == "23505" {
                return SluiceError(.conflict, "another active job holds the same uniqueness key", field: "unique_key")
            }
            return SluiceError(.storageFailure, "PostgreSQL failed with SQLSTATE \(state)")
        }
        return SluiceError(.storageFailure, "PostgreSQL is unreachable or failed: \(type(of: error))")
    }
}

extension PostgresJobStore {
    /// A client configuration from a `postgres://user:password@host:port/database` URL (TLS disabled; this is
    /// for loopback and private networks).
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `database_url`.
    public static func clientConfiguration(url: String) throws(SluiceError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw .invalidArgument("database_url", "must look like postgres://user:password@host:5432/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password?.removingPercentEncoding, database: database.isEmpty ? nil : database,
            tls: .disable)
        applySessionSettings(to: &configuration)
        return configuration
    }

    /// Sets the session settings Sluice relies on: a process stopped in the middle of a transaction (SIGSTOP, a
    /// debugger, a swapped-out VM) must not hold its row locks for ever, or no other node could claim, rescue or
    /// complete those runs. Every Sluice transaction is a few statements long, so 5 s idle inside one means the
    /// client is gone; the server then ends the session and the locks are released.
    public static func applySessionSettings(to configuration: inout PostgresClient.Configuration) {
        configuration.options.additionalStartupParameters.append(("idle_in_transaction_session_timeout", "5s"))
    }
}
