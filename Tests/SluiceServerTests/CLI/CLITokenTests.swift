import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// `sluice migrate` and `sluice tokens`, run as the real binary.
@Suite("sluice CLI: migrate and tokens")
struct CLITokenTests {
    @Test(
        "migrate, then tokens create, list (table and JSON) and revoke; bad input exits non-zero with a message",
        .timeLimit(.minutes(2)))
    func migrateAndTokens() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceCLI(database: folder.appendingPathComponent("cli.sqlite").path)
        let migrated = try await sluice("migrate")
        #expect(migrated.status == 0 && migrated.out.contains("schema is up to date"), "\(migrated)")
        let created = try await sluice("tokens", "create", "--name", "ci", "--role", "operator")
        #expect(created.status == 0)
        #expect(created.out.range(of: #"sluice_[A-Za-z0-9_-]{40,}"#, options: .regularExpression) != nil)
        let table = try await sluice("tokens", "list")
        #expect(table.status == 0 && table.out.hasPrefix("ID ") && table.out.contains("ci    operator"))
        #expect(!table.out.contains("sluice_"))
        let listed = try await sluice("tokens", "list", "--json").items()
        let id = try #require(listed.first?["id"]?.stringValue)
        #expect(listed.first?["revoked_at"] == .null && listed.first?["role"] == "operator")
        let revoked = try await sluice("tokens", "revoke", id)
        #expect(revoked.status == 0 && revoked.out.contains("Revoked token ci"))
        let after = try await sluice("tokens", "list", "--json").items()
        #expect(after.first?["revoked_at"]?.stringValue != nil)

        #expect(try await sluice("brands", "create", "Acme Coffee").status == 0)
        let scoped = try await sluice(
            "tokens", "create", "--name", "acme-bot", "--role", "viewer", "--brand", "Acme Coffee", "--json"
        ).object()
        #expect(scoped["role"] == "viewer" && scoped["brand_id"]?.stringValue != nil)
        #expect(scoped["secret"]?.stringValue?.hasPrefix("sluice_") == true)
        let badRole = try await sluice("tokens", "create", "--name", "x", "--role", "boss")
        #expect(badRole.status == 64 && badRole.err.contains("--role must be admin, operator or viewer"))
        let unknown = try await sluice("tokens", "revoke", UUID().uuidString)
        #expect(unknown.status == 1 && unknown.err.contains("does not exist"), "\(unknown)")
        let badURL = try await SluiceCLI()("migrate", "--database", "mysql://user:secret@host/db")
        #expect(badURL.status == 64 && badURL.err.contains("unsupported URL scheme mysql"), "\(badURL)")
        #expect(!badURL.err.contains("secret"))
    }
}
