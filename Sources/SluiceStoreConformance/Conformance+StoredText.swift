import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    /// One rule for text on every backend: NUL (U+0000) is refused with an error naming the field (PostgreSQL
    /// cannot store it; SQLite could, and must not).
    static let storedTextCases: [ConformanceCase] = [
        ConformanceCase("text with a NUL character is refused naming its field, and nothing is written") { fixture in
            let store = fixture.store
            await expectError(.invalidArgument, field: "name") { try await store.createBrand(name: "Evil\u{0}") }
            let brand = try await store.createBrand(name: "Beans")
            await expectError(.invalidArgument, field: "name") {
                try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Rival\u{0}"))
            }
            await expectError(.invalidArgument, field: "ad_library_url") {
                try await store.createCompetitor(
                    CompetitorRequest(
                        brandID: brand.id, name: "Rival", adLibraryURL: "https://www.facebook.com/ads/library/?q=\u{0}")
                )
            }
            await expectError(.invalidArgument, field: "name") {
                try await store.createToken(
                    NewAPIToken(name: "to\u{0}ken", role: .viewer, secretHash: String(repeating: "a", count: 64)))
            }
            await expectError(.invalidArgument, field: "parameters.ad_library_url") {
                try await fixture.enqueue(
                    "scrape",
                    [
                        "competitor_id": .string(UUID().uuidString),
                        "ad_library_url": "https://www.facebook.com/ads/library/\u{0}",
                    ])
            }
            await expectError(.invalidArgument, field: "parameters.note[1]") {
                try await fixture.enqueue("noop", ["note": .array([.string("fine"), .string("bad\u{0}")])])
            }
            #expect(try await store.brands().map(\.name) == ["Beans", "Brand A", "Brand B"])
            #expect(try await store.competitors(brandID: brand.id).isEmpty)
            #expect(try await store.listJobs(JobQuery()).items.isEmpty)
        }
    ]
}
