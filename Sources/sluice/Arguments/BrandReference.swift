import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// A brand named on the command line by its id or its exact name (`--brand "Acme Coffee"`).
enum BrandReference {
    /// The brand `text` names.
    /// - Throws: ``SluiceError/Code/notFound`` naming `option` when no brand has that name or id,
    ///   ``ConfigurationError`` when several have that name.
    static func resolve(_ text: String, with client: SluiceClient, option: String = "--brand") async throws -> Brand {
        let brands = try await client.brands()
        if let id = UUID(uuidString: text) {
            guard let brand = brands.first(where: { $0.id == id }) else {
                throw SluiceError(.notFound, "\(option): no brand has the id \(CLIText.id(id))")
            }
            return brand
        }
        let named = brands.filter { $0.name.caseInsensitiveCompare(text) == .orderedSame }
        guard !named.isEmpty else {
            throw SluiceError(
                .notFound, "\(option): no brand is named \"\(text.prefix(80))\" (see `sluice brands list`)")
        }
        guard named.count == 1 else {
            throw ConfigurationError(
                "\(option): \(named.count) brands are named \"\(text.prefix(80))\"; give the id instead")
        }
        return named[0]
    }

    /// The id of the brand `text` names, or nil when no brand is given (an optional `--brand` filter).
    static func id(_ text: String?, with client: SluiceClient) async throws -> UUID? {
        guard let text else { return nil }
        return try await resolve(text, with: client).id
    }

    /// The brand names by id, for tables.
    static func names(_ client: SluiceClient) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await client.brands().map { ($0.id, $0.name) })
    }
}
