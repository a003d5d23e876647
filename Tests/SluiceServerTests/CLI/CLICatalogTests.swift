import Foundation
import SluiceCore
import Testing

/// `sluice brands` and `sluice competitors`, run as the real binary.
@Suite("sluice CLI: brands and competitors")
struct CLICatalogTests {
    @Test(
        "brands create, list, rename and delete; competitors add, list and delete; errors name the input",
        .timeLimit(.minutes(2)))
    func brandsAndCompetitors() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceCLI(database: folder.appendingPathComponent("catalog.sqlite").path)
        let created = try await sluice("brands", "create", "Acme Coffee", "--json").object()
        let brandID = try #require(created["id"]?.stringValue)
        #expect(created["name"] == "Acme Coffee")
        let table = try await sluice("brands")
        #expect(table.status == 0 && table.out.contains("\(brandID)  Acme Coffee"), "\(table)")

        let added = try await sluice(
            "competitors", "add", "--brand", "acme coffee", "--name", "Rival Coffee", "--page-id", "123456",
            "--ad-library-url", "https://www.facebook.com/ads/library/?country=US&view_all_page_id=123456")
        #expect(added.status == 0 && added.out.contains("Added competitor Rival Coffee"), "\(added)")
        let competitors = try await sluice("competitors", "list", "--brand", brandID, "--json").items()
        #expect(competitors.map { $0["name"] } == ["Rival Coffee"])
        #expect(competitors.first?["page_id"] == "123456")
        let competitorTable = try await sluice("competitors", "--brand", "Acme Coffee")
        #expect(competitorTable.out.contains("Rival Coffee  123456"), "\(competitorTable)")

        let renamed = try await sluice("brands", "rename", "Acme Coffee", "Acme Roasters")
        #expect(renamed.status == 0 && renamed.out.contains("to Acme Roasters"), "\(renamed)")

        let unknownBrand = try await sluice("competitors", "list", "--brand", "Nobody")
        #expect(unknownBrand.status == 1 && unknownBrand.err.contains(#"no brand is named "Nobody""#))
        let unconfirmed = try await sluice("brands", "delete", "Acme Roasters")
        #expect(unconfirmed.status == 64 && unconfirmed.err.contains("add --yes to confirm"), "\(unconfirmed)")
        let badID = try await sluice("competitors", "delete", "not-a-uuid")
        #expect(badID.status == 64 && badID.err.contains("must be a UUID"))

        let competitorID = try #require(competitors.first?["id"]?.stringValue)
        let deletedCompetitor = try await sluice("competitors", "delete", competitorID)
        #expect(deletedCompetitor.status == 0 && deletedCompetitor.out.contains("Deleted competitor Rival Coffee"))
        let deleted = try await sluice("brands", "delete", "Acme Roasters", "--yes")
        #expect(deleted.status == 0 && deleted.out.contains("Deleted brand Acme Roasters"), "\(deleted)")
        #expect(try await sluice("brands", "list", "--json").items().isEmpty)
    }
}
