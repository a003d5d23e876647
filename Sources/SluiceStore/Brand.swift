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
        guard !trimmed.isEmpty, trimmed == name, name.count <= 200 else {
            throw .invalidArgument("name", "must be 1-200 characters without surrounding spaces")
        }
    }
}
