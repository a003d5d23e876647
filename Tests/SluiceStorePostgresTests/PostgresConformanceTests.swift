import SluiceStoreConformance
import Testing

@Suite("Store conformance — PostgreSQL")
struct PostgresConformanceTests {
    @Test("PostgreSQL store conforms", arguments: StoreConformance.cases)
    func conformance(_ specified: ConformanceCase) async throws {
        try await specified.run(on: PostgresHarness())
    }
}
