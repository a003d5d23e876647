import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice tokens`: API tokens, straight in the database (so the first ones can be made before any server runs).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown only now).")

        @OptionGroup var database: DatabaseOption
        @Option(help: "A name for the token, such as who or what uses it.") var name: String
        @Option(help: "admin, operator or viewer.") var role: String
        @Option(help: "Limit the token to one brand (not for admin tokens).") var brand: String?

        func run() async throws {
            guard let accessRole = AccessRole(rawValue: role) else {
                throw ValidationError("--role must be admin, operator or viewer")
            }
            var brandID: UUID?
            if let brand {
                guard let id = UUID(uuidString: brand) else { throw ValidationError("--brand must be a brand id") }
                brandID = id
            }
            let (secret, hash) = AccessTokens.generate()
            let request = NewAPIToken(name: name, role: accessRole, brandID: brandID, secretHash: hash)
            let token = try await TokensCommand.withClient(database) { try await $0.createToken(request) }
            print("Created token \(token.name) (\(token.role.rawValue)), id \(token.id.uuidString.lowercased()).")
            print("Its secret is shown only now:\n\n    \(secret)\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let tokens = try await TokensCommand.withClient(database) { try await $0.tokens() }
            let rows: [JSONObject] = tokens.map { token in
                [
                    "id": .string(token.id.uuidString.lowercased()), "name": .string(token.name),
                    "role": .string(token.role.rawValue),
                    "brand_id": token.brandID.map { .string($0.uuidString.lowercased()) } ?? .null,
                    "revoked": .bool(token.revokedAt != nil),
                ]
            }
            if json {
                print(JSONValue.array(rows.map(JSONValue.object)).jsonText)
                return
            }
            print(
                TextTable.render(
                    ["ID", "NAME", "ROLE", "BRAND", "REVOKED"],
                    tokens.map { token in
                        [
                            token.id.uuidString.lowercased(), token.name, token.role.rawValue,
                            token.brandID?.uuidString.lowercased() ?? "-", token.revokedAt == nil ? "no" : "yes",
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The token's id.") var id: String

        func run() async throws {
            guard let tokenID = UUID(uuidString: id) else { throw ValidationError("the token id must be a UUID") }
            let token = try await TokensCommand.withClient(database) { try await $0.revokeToken(id: tokenID) }
            print("Revoked token \(token.name) (\(token.id.uuidString.lowercased())).")
        }
    }

    static func withClient<T: Sendable>(
        _ database: DatabaseOption, _ body: @Sendable (SluiceClient) async throws -> T
    ) async throws -> T {
        let registry = try AdIntelCatalog.registry()
        return try await StoreSession.with(database.location(), registry: registry, logger: Logger(label: "sluice")) {
            store in
            try await body(
                SluiceClient(store: store, registry: registry, datasets: try AdIntelCatalog.datasets(registry)))
        }
    }
}

/// Plain text tables for the terminal: columns padded to their widest cell.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
