import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStorePostgres
import SluiceTestSupport

/// Runs conformance cases on a fresh database per case; each store has its own `PostgresClient` (own connections).
struct PostgresHarness: StoreHarness {
    func withDatabase(
        storeCount: Int, configuration: StoreConfiguration, _ body: @Sendable (StoreFixture) async throws -> Void
    ) async throws {
        guard let clock = configuration.clock as? ManualWallClock else {
            preconditionFailure("cases use a manual clock")
        }
        try await TestBackend.postgres.withDatabase(stores: storeCount, configuration: configuration) { database in
            guard let store = database.stores[0] as? PostgresJobStore else {
                preconditionFailure("the PostgreSQL backend's stores are PostgresJobStore")
            }
            try await body(
                StoreFixture(stores: database.stores, clock: clock, runTables: { try await Self.runTables(of: store) }))
        }
    }

    /// Reads the run tables with the store's own connections.
    static func runTables(of store: PostgresJobStore) async throws -> RunTables {
        func ids(_ sql: String) async throws -> Set<Int64> {
            var ids: Set<Int64> = []
            for try await id in try await store.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) {
                ids.insert(id)
            }
            return ids
        }
        return RunTables(
            queue: try await ids("SELECT id FROM run_queue"), history: try await ids("SELECT id FROM run_history"),
            logged: try await ids("SELECT DISTINCT run_id FROM run_logs"), jobRows: try await ids("SELECT id FROM jobs")
        )
    }
}
