import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStorePostgres

/// Runs conformance cases on a fresh database per case; each store has its own `PostgresClient` (own connections).
struct PostgresHarness: StoreHarness {
    func withDatabase(
        storeCount: Int, configuration: StoreConfiguration, _ body: @Sendable (StoreFixture) async throws -> Void
    ) async throws {
        let endpoint = try await TestPostgresServer.shared.endpoint()
        let database =
            "sluice_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await TestDatabases.administer(endpoint, "CREATE DATABASE \(database)")
        guard let clock = configuration.clock as? ManualWallClock else {
            preconditionFailure("cases use a manual clock")
        }
        let clients = (0..<storeCount).map { _ in
            PostgresClient(configuration: endpoint.configuration(database: database))
        }
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            do {
                let stores = clients.map { PostgresJobStore(client: $0, configuration: configuration) }
                for store in stores { try await store.migrate() }
                try await body(StoreFixture(stores: stores, clock: clock))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try await TestDatabases.administer(endpoint, "DROP DATABASE \(database) WITH (FORCE)")
        try outcome.get()
    }
}
