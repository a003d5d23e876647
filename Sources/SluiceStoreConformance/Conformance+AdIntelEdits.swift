import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let adIntelEditCases: [ConformanceCase] = [
        ConformanceCase("a brand is renamed; a bad name or an unknown brand is refused") { fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            fixture.clock.advance(by: .seconds(60))
            let renamed = try await store.renameBrand(id: brand.id, name: "Beans & Co")
            #expect(renamed == Brand(id: brand.id, name: "Beans & Co", createdAt: stored(brand.createdAt)))
            #expect(try await store.brand(id: brand.id) == renamed)
            #expect(try await store.brands().map(\.name) == ["Beans & Co", "Brand A", "Brand B"])
            await expectError(.invalidArgument, field: "name") {
                try await store.renameBrand(id: brand.id, name: " Beans")
            }
            await expectError(.invalidArgument, field: "name") { try await store.renameBrand(id: brand.id, name: "") }
            await expectError(.notFound, field: "brand_id") { try await store.renameBrand(id: UUID(), name: "Ghost") }
            #expect(try await store.brand(id: brand.id) == renamed)
        },
        ConformanceCase("a competitor is edited in place; bad values or an unknown competitor are refused") {
            fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            let rival = try await store.createCompetitor(
                CompetitorRequest(brandID: brand.id, name: "Rival", pageID: "123"))
            let other = try await store.createCompetitor(CompetitorRequest(brandID: brand.id, name: "Other"))
            fixture.clock.advance(by: .seconds(60))
            let url = "https://www.facebook.com/ads/library/?view_all_page_id=456"
            let updated = try await store.updateCompetitor(
                id: rival.id, name: "Rival Coffee", pageID: "456", adLibraryURL: url)
            #expect(
                updated
                    == Competitor(
                        id: rival.id, brandID: brand.id, name: "Rival Coffee", pageID: "456", adLibraryURL: url,
                        createdAt: stored(rival.createdAt)))
            #expect(try await store.competitor(id: rival.id) == updated)
            #expect(try await store.competitor(id: other.id) == other)
            #expect(try await store.competitors(brandID: brand.id).map(\.name) == ["Other", "Rival Coffee"])
            let cleared = try await store.updateCompetitor(
                id: rival.id, name: "Rival Coffee", pageID: nil, adLibraryURL: nil)
            #expect(cleared.pageID == nil && cleared.adLibraryURL == nil && cleared.brandID == brand.id)
            await expectError(.invalidArgument, field: "page_id") {
                try await store.updateCompetitor(id: rival.id, name: "Rival", pageID: "12a", adLibraryURL: nil)
            }
            await expectError(.invalidArgument, field: "name") {
                try await store.updateCompetitor(id: rival.id, name: " ", pageID: nil, adLibraryURL: nil)
            }
            await expectError(.invalidArgument, field: "ad_library_url") {
                try await store.updateCompetitor(id: rival.id, name: "Rival", pageID: nil, adLibraryURL: "/ads/library")
            }
            await expectError(.notFound, field: "competitor_id") {
                try await store.updateCompetitor(id: UUID(), name: "Ghost", pageID: nil, adLibraryURL: nil)
            }
            // Refused edits wrote nothing.
            #expect(try await store.competitor(id: rival.id) == cleared)
        },
    ]
}
