import SluiceStoreConformance
import Testing

@Suite("Store conformance — SQLite")
struct SQLiteConformanceTests {
    @Test("SQLite store conforms", arguments: StoreConformance.cases)
    func conformance(_ specified: ConformanceCase) async throws {
        try await specified.run(on: SQLiteHarness())
    }
}
