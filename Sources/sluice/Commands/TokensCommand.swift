import ArgumentParser
import Foundation
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice tokens`: API tokens, straight in the database (so the first ones can be made before any server runs).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create, list and revoke API tokens.",
        subcommands: [List.self, Create.self, Revoke.self], defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown only now).")

        @OptionGroup var store: StoreOptions
        @Option(help: "A name for the token, such as who or what uses it.") var name: String
        @Option(help: "admin, operator or viewer.") var role: String
        @Option(help: "Limit the token to one brand, by id or name (not for admin tokens).") var brand: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let accessRole = AccessRole(rawValue: role) else {
                throw ValidationError("--role must be admin, operator or viewer")
            }
            let (secret, hash) = AccessTokens.generate()
            let token = try await store.withClient { client in
                var brandID: UUID?
                if let brand { brandID = try await BrandReference.resolve(brand, with: client).id }
                return try await client.createToken(
                    NewAPIToken(name: name, role: accessRole, brandID: brandID, secretHash: hash))
            }
            output.emit(
                APIRepresentation.token(IssuedToken(token: token, secret: secret)),
                text: "Created token \(token.name) (\(token.role.rawValue)), id \(CLIText.id(token.id)).\n"
                    + "Its secret is shown only now:\n\n    \(secret)\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tokens = try await store.withClient { try await $0.tokens() }
            output.emit(
                APIRepresentation.tokens(tokens.map { IssuedToken(token: $0, secret: nil) }),
                text: TextTable.render(
                    ["ID", "NAME", "ROLE", "BRAND", "REVOKED"],
                    tokens.map { token in
                        [
                            CLIText.id(token.id), token.name, token.role.rawValue,
                            token.brandID.map(CLIText.id) ?? "-", token.revokedAt == nil ? "no" : "yes",
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The token's id.") var id: String

        func run() async throws {
            guard let tokenID = UUID(uuidString: id) else { throw ValidationError("the token id must be a UUID") }
            let token = try await store.withClient { try await $0.revokeToken(id: tokenID) }
            print("Revoked token \(token.name) (\(CLIText.id(token.id))).")
        }
    }
}
