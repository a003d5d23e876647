import SluiceCore
import SluiceStore
import SluiceStoreConformance
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
            try await body(StoreFixture(stores: database.stores, clock: clock))
        }
    }
}
