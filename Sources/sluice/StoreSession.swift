import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite

/// Opens the store at a ``DatabaseLocation`` (migrated to the current schema) for the length of one command.
enum StoreSession {
    static func with<T: Sendable>(
        _ location: DatabaseLocation, registry: JobTypeRegistry, logger: Logger,
        _ body: @Sendable (any JobStore) async throws -> T
    ) async throws -> T {
        let configuration = StoreConfiguration(registry: registry)
        switch location {
        case .sqlite(let path):
            return try await body(try SQLiteJobStore(path: path, configuration: configuration))
        case .postgres(let url):
            var settings = try PostgresJobStore.clientConfiguration(url: url)
            PostgresJobStore.applySessionSettings(to: &settings)
            let client = PostgresClient(configuration: settings, backgroundLogger: logger)
            return try await withThrowingTaskGroup(of: T?.self) { tasks in
                tasks.addTask {
                    await client.run()
                    return nil
                }
                defer { tasks.cancelAll() }
                let store = PostgresJobStore(client: client, configuration: configuration, logger: logger)
                try await store.migrate()
                return try await body(store)
            }
        }
    }
}
