import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// The `sluice` binary's commands, run as a user runs them: exit codes, output and messages.
@Suite("sluice CLI")
struct CLITests {
    /// Runs `sluice` with `arguments` to its end.
    static func sluice(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try SiblingExecutable.url(named: "sluice")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)
        )
    }

    @Test(
        "migrate, then tokens create, list (table and JSON) and revoke; bad input exits non-zero with a message",
        .timeLimit(.minutes(2)))
    func migrateAndTokens() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = ["--database", folder.appendingPathComponent("cli.sqlite").path]
        let migrated = try Self.sluice(["migrate"] + database)
        #expect(migrated.status == 0 && migrated.out.contains("schema is up to date"))
        let created = try Self.sluice(["tokens", "create", "--name", "ci", "--role", "operator"] + database)
        #expect(created.status == 0)
        #expect(created.out.range(of: #"sluice_[A-Za-z0-9_-]{40,}"#, options: .regularExpression) != nil)
        let table = try Self.sluice(["tokens", "list"] + database)
        #expect(table.status == 0 && table.out.hasPrefix("ID ") && table.out.contains("ci    operator"))
        #expect(!table.out.contains("sluice_"))
        let listed = try Self.sluice(["tokens", "list", "--json"] + database)
        let tokens = try #require(try JSONValue(parsing: listed.out).arrayValue)
        let id = try #require(tokens.first?.objectValue?["id"]?.stringValue)
        #expect(tokens.first?.objectValue?["revoked"] == .bool(false))
        let revoked = try Self.sluice(["tokens", "revoke", id] + database)
        #expect(revoked.status == 0 && revoked.out.contains("Revoked token ci"))
        let after = try Self.sluice(["tokens", "list", "--json"] + database)
        #expect(try JSONValue(parsing: after.out).arrayValue?.first?.objectValue?["revoked"] == .bool(true))

        let badRole = try Self.sluice(["tokens", "create", "--name", "x", "--role", "boss"] + database)
        #expect(badRole.status == 64 && badRole.err.contains("--role must be admin, operator or viewer"))
        let unknown = try Self.sluice(["tokens", "revoke", UUID().uuidString] + database)
        #expect(unknown.status == 1 && unknown.err.contains("does not exist"))
        let badURL = try Self.sluice(["migrate", "--database", "mysql://user:secret@host/db"])
        #expect(badURL.status == 1 && badURL.err.contains("unsupported URL scheme mysql"))
        #expect(!badURL.err.contains("secret"))
    }
}
