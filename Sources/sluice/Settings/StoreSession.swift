import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite

/// Opens the store at a ``DatabaseLocation`` (migrated to the current schema) for the length of one command.
enum StoreSession {
    /// How long PostgreSQL has to answer the first query before the command gives up with a clear message (its
    /// connection pool would otherwise keep retrying for over a minute).
    static let connectDeadline = Duration.seconds(10)

    static func with<T: Sendable>(
        _ location: DatabaseLocation, registry: JobTypeRegistry, logger: Logger,
        _ body: @Sendable (any JobStore) async throws -> T
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
            return try await withThrowingTaskGroup(of: T?.self) { tasks in
                tasks.addTask {
                    await client.run()
                    return nil
                }
                defer { tasks.cancelAll() }
                let store = PostgresJobStore(client: client, configuration: configuration, logger: logger)
                try await migrate(store, server: "\(settings.host ?? "?"):\(settings.port ?? 5432)")
                return try await body(store)
            }
        }
    }

    /// Migrates `store`, or fails with a message naming `server` when PostgreSQL does not answer in time.
    private static func migrate(_ store: PostgresJobStore, server: String) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { race in
            race.addTask {
                try await store.migrate()
                return true
            }
            race.addTask {
                try await Task.sleep(for: connectDeadline)
                return false
            }
            defer { race.cancelAll() }
            guard try await race.next() == true else {
                throw UnavailableError(
                    "PostgreSQL at \(server) is unreachable: no answer within \(connectDeadline.components.seconds) s "
                        + "(is it running, and are the host, port, user and password right?)")
            }
        }
    }
}
