import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

/// The facade's own rules, which hold for every caller (API, dashboard, CLI, handlers' code).
@Suite("SluiceClient rules")
struct SluiceClientRulesTests {
    @Test(
        "jobs and tokens name a brand that exists: a missing one is not found, naming brand_id, and nothing is written",
        arguments: TestBackend.allCases)
    func brandMustExist(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let client = SluiceClient(store: store, registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let missing = UUID()
            let single = try await #require(throws: SluiceError.self) {
                try await client.enqueue(JobRequest(brandID: missing, jobType: "echo"))
            }
            #expect(single.code == .notFound && single.field == "brand_id")
            let brand = try await client.createBrand(name: "Echo Roasters")
            let batch = try await #require(throws: SluiceError.self) {
                try await client.enqueue([
                    JobRequest(brandID: brand.id, jobType: "echo"), JobRequest(brandID: missing, jobType: "echo"),
                ])
            }
            #expect(batch.code == .notFound && batch.field == "brand_id")
            #expect(try await client.jobs(JobQuery()).items.isEmpty, "nothing was enqueued")
            let token = try await #require(throws: SluiceError.self) {
                try await client.createToken(
                    NewAPIToken(
                        name: "scoped", role: .viewer, brandID: missing, secretHash: String(repeating: "a", count: 64)))
            }
            #expect(token.code == .notFound && token.field == "brand_id")
            #expect(try await client.tokens().isEmpty)
            #expect(try await client.enqueue(JobRequest(brandID: brand.id, jobType: "echo")).run != nil)
        }
    }
}
