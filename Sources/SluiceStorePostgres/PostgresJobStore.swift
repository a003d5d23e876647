import Foundation
import Logging
import NIOCore
import PostgresNIO
import SluiceCore
import SluiceStore
import Synchronization

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
    public let configuration: StoreConfiguration
    let logger: Logger
    /// How long one operation may wait on the database unless ``StoreDeadline/timeout`` says otherwise.
    let operationTimeout: Duration
    /// Abandons a statement as soon as its connection closes.
    let connectionWatch = ConnectionWatch()

    public var capabilities: StoreCapabilities {
        StoreCapabilities(supportsNotifications: true, supportsMultipleHosts: true, timePrecision: .microseconds(1))
    }

    /// Creates a store on a client whose `run()` is (or will be) running. Call ``migrate()`` before use.
    /// - Parameter operationTimeout: how long one operation may wait on the database before its connection is
    ///   closed and it fails (``StoreDeadline/timeout`` overrides it per task). Defaults to 30 seconds, the
    ///   `statement_timeout` that ``applySessionSettings(to:)`` sets, plus time for the network.
    public init(
        client: PostgresClient, configuration: StoreConfiguration, logger: Logger = Logger(label: "sluice.store"),
        operationTimeout: Duration = .seconds(35)
    ) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.operationTimeout = operationTimeout
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

    /// Runs `body` in a transaction within the operation deadline; errors become ``SluiceError``s.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { [logger] connection in
            try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs one statement outside a transaction within the operation deadline and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { connection in try await rows(query, on: connection) }
    }

    /// Leases a pooled connection for `body`, all within the deadline (``StoreDeadline/timeout``, else
    /// ``operationTimeout``); errors become ``SluiceError``s.
    ///
    /// A statement sent on a connection whose peer is gone (a restarted server, a dropped network) waits for TCP to
    /// give up, many minutes later, and one written to a connection that closed just after the pool lent it is
    /// never answered at all (PostgresNIO drops the write's failure): a worker awaiting either would never claim,
    /// heartbeat or stop again. So the operation runs in a task of its own, and at the deadline this call fails
    /// while that task is cancelled and its connection closed (which fails a statement in flight at once). A task
    /// stuck even then is abandoned with its connection, and logged.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let timeout = StoreDeadline.timeout ?? operationTimeout
        let stage = Mutex("waiting for a pooled connection")
        let operation = Task { [client, self] in
            // A connection that closed after the pool lent it would swallow the statement (see above): take another.
            for _ in 1..<3 {
                let outcome: T? = try await client.withConnection { connection in
                    guard !connection.isClosed else { return nil }
                    stage.withLock { $0 = "running on connection \(connection.id)" }
                    return try await self.run(body, on: connection)
                }
                if let outcome { return outcome }
            }
            return try await client.withConnection { connection in
                stage.withLock { $0 = "running on connection \(connection.id) (closed: \(connection.isClosed))" }
                return try await self.run(body, on: connection)
            }
        }
        do {
            return try await OperationDeadline.await(operation, timeout: timeout)
        } catch is OperationDeadline.Expired {
            logger.warning(
                "PostgreSQL did not answer within the deadline; the operation was abandoned",
                metadata: ["deadline": "\(timeout)", "stage": "\(stage.withLock { $0 })"])
            throw SluiceError(.storageFailure, "PostgreSQL did not answer within \(timeout)")
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Runs `body` on `connection` until it ends or the connection closes, whichever is first: a statement whose
    /// connection closed under it may never be answered (PostgresNIO drops the failed write), so it is abandoned at
    /// once rather than at the deadline, and the connection goes back to the pool (which drops it) instead of being
    /// held by a statement that will never end. Cancelling closes the connection, since a statement in flight does
    /// not heed cancellation and closing fails it at once.
    private func run<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T, on connection: PostgresConnection
    ) async throws -> T {
        let statement = Task { try await body(connection) }
        defer { connectionWatch.end(on: connection) }
        do {
            return try await withTaskCancellationHandler {
                try await OperationDeadline.await(statement, timeout: nil) { abandon in
                    connectionWatch.begin(on: connection) { abandon(ConnectionClosed()) }
                }
            } onCancel: {
                let closing: EventLoopFuture<Void> = connection.close()
                closing.whenComplete { _ in }
            }
        } catch is CancellationError {
            // The connection goes back to the pool only once closed: lent again while closing, it would fail the
            // next statement.
            try? await connection.closeFuture.get()
            throw CancellationError()
        }
    }

    /// The connection closed while a statement was in flight.
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the connection to PostgreSQL closed during the statement" }
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
            if state == "23503", error.serverInfo?[.constraintName]?.hasSuffix("_brand_id_fkey") == true {
                return BrandRules.missingReference
            }
            if state == "23505" {
                return SluiceError(.conflict, "another active job holds the same uniqueness key", field: "unique_key")
            }
            // A value PostgreSQL cannot store (NUL in text or jsonb) is the caller's input, not an outage. The
            // stores' own checks refuse it first, naming the field (see StoredText); this is the backstop.
            if state == "22021" || state == "22P05" {
                return SluiceError(.invalidArgument, "text must not contain the NUL character (U+0000)", field: "text")
            }
            return SluiceError(.storageFailure, "PostgreSQL failed with SQLSTATE \(state)")
        }
        if let error = error as? ConnectionClosed { return SluiceError(.storageFailure, error.description) }
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
    ///
    /// A statement that runs longer than 30 s (`statement_timeout`) is cancelled by the server: no operation of the
    /// job path takes a fraction of that, so such a statement is stuck behind a lock or a failing disk, and its
    /// caller is better told. Migrations lift the limit for their own transaction.
    public static func applySessionSettings(to configuration: inout PostgresClient.Configuration) {
        configuration.options.additionalStartupParameters.append(("idle_in_transaction_session_timeout", "5s"))
        configuration.options.additionalStartupParameters.append(("statement_timeout", "30s"))
    }
}
