import Foundation
import Logging
import PostgresNIO
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite

/// Opens the store at a ``DatabaseLocation`` (migrated to the current schema) for the length of one command.
enum StoreSession {
    /// How long PostgreSQL has to accept a first connection before the command gives up with a clear message.
    static let connectDeadline = Duration.seconds(10)

    static func with<T: Sendable>(
        _ location: DatabaseLocation, registry: JobTypeRegistry, logger: Logger,
        _ body: @Sendable (any JobAndAdStore) async throws -> T
    ) async throws -> T {
        let configuration = StoreConfiguration(registry: registry)
        switch location {
        case .sqlite(let path):
            let store: SQLiteJobStore
            do {
                store = try SQLiteJobStore(path: path, configuration: configuration)
            } catch {
                throw UnavailableError("cannot open the SQLite database \(path): \(error)")
            }
            return try await body(store)
        case .postgres(let url):
            let settings = try PostgresJobStore.clientConfiguration(url: url)
            let client = PostgresClient(configuration: settings, backgroundLogger: logger)
            return try await PostgresPool.running([client]) {
                try await probe(settings, server: "\(settings.host ?? "?"):\(settings.port ?? 5432)", logger: logger)
                let store = PostgresJobStore(client: client, configuration: configuration, logger: logger)
                try await store.migrate()
                return try await body(store)
            }
        }
    }

    /// Opens one connection outside the pool (which would keep retrying for over a minute) to learn at once whether
    /// PostgreSQL can be used: fails with a message naming `server` and the reason (connection refused, no answer
    /// within the deadline, a refused password, a missing database). A migration that then waits for another
    /// node's may take as long as it needs.
    private static func probe(_ settings: PostgresClient.Configuration, server: String, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host ?? "127.0.0.1", port: settings.port ?? 5432, username: settings.username,
            password: settings.password, database: settings.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(connectDeadline.components.seconds)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw UnavailableError("PostgreSQL at \(server) refused: \(message)")
            }
            let reason = error.underlying.map { String(describing: $0).prefix(300) } ?? "\(error.code)"
            throw UnavailableError(
                "PostgreSQL at \(server) is unreachable (\(reason)); is it running, and are the host and port right?")
        }
    }
}
