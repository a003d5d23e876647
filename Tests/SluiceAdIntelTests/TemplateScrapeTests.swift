import Foundation
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceFakes
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("template_scrape end to end against the fake Ad Library")
struct TemplateScrapeTests {
    @Test("a keyword search keeps the long-running ads as templates, once each", arguments: TestBackend.allCases)
    func keepsTemplates(backend: TestBackend) async throws {
        try await AdIntelFixture.withFake(backend) { base, store, brand in
            var handlers = HandlerRegistry()
            handlers.register(
                "template_scrape",
                TemplateScrapeHandler(
                    store: store,
                    adLibrary: AdLibraryClient(settings: MetaGraphSettings(baseURL: base, accessToken: "fake-token"))))
            let worker = try AdIntelFixture.worker(store, handlers, id: "templates")
            let client = AdIntelFixture.client(store)
            let request = JobRequest(
                brandID: brand.id, jobType: "template_scrape",
                parameters: ["search_terms": .string("espresso"), "max_results": .int(150)])
            let run = try await client.runDirectly(request, with: worker)
            #expect(run.state == .succeeded, "\(run.error ?? "")")
            let templates = try await store.templates(brandID: brand.id, limit: 1000)
            #expect(!templates.isEmpty && run.result?["templates"] == .int(Int64(templates.count)))
            #expect(run.result?["ads_found"] == .int(150))
            #expect(templates.allSatisfy { $0.searchTerms == "espresso" && $0.reason.hasPrefix("ran ") })
            #expect(templates.allSatisfy { $0.ad.bodies.joined().lowercased().contains("espresso") })
            let again = try await client.runDirectly(request, with: worker)
            #expect(again.result?["new"] == .int(0))
            #expect(try await store.templates(brandID: brand.id, limit: 1000).count == templates.count)
            let bad = try await client.runDirectly(
                JobRequest(
                    brandID: brand.id, jobType: "template_scrape",
                    parameters: ["search_terms": .string("x"), "country": .string("U1")]), with: worker)
            #expect(bad.state == .failed && bad.attempt == 1 && bad.error?.contains("country") == true)
        }
    }
}
