import Foundation
import SluiceCore

/// A brand: the tenant that jobs, datasets, tokens and the ad domain's records belong to.
public struct Brand: Sendable, Hashable, Identifiable {
    /// Its id.
    public let id: UUID
    /// Its name.
    public let name: String
    /// When it was created.
    public let createdAt: Date

    /// Creates a brand (stores build these from rows).
    public init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// Name rules shared by brands and competitors.
public enum DomainNames {
    /// Validates a display name.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`.
    public static func validate(_ name: String) throws(SluiceError) {
        try StoredText.check(name, field: "name")
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed == name, name.unicodeScalars.count <= 200 else {
            throw .invalidArgument("name", "must be 1-200 characters without surrounding spaces")
        }
    }
}

/// The brand rule's errors, worded once for every store: everything else belongs to a brand that exists.
public enum BrandRules {
    /// No brand has `id`.
    public static func missing(_ id: UUID) -> SluiceError {
        SluiceError(.notFound, "brand \(id.uuidString.lowercased()) does not exist", field: "brand_id")
    }

    /// A record (a job, a dataset refresh, a webhook, a token) names a brand that does not exist: the schema's rule,
    /// which holds when a brand is deleted while something of it is being written (`SluiceClient` and the routes
    /// check first and name the id).
    public static let missingReference = SluiceError(
        .notFound, "the brand it belongs to does not exist", field: "brand_id")

    /// A brand already has `id`.
    public static func exists(_ id: UUID) -> SluiceError {
        SluiceError(.conflict, "a brand with id \(id.uuidString.lowercased()) already exists", field: "brand_id")
    }
}
