import Foundation
import SluiceCore

/// What an API token may do. Each role includes the rights of the ones below it.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Reads everything it can see.
    case viewer
    /// Also enqueues, cancels and retries work and manages brands and competitors.
    case `operator`
    /// Everything, including tokens and the audit log.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }
}

/// A token to be stored: only the hash of its secret is ever kept.
public struct NewAPIToken: Sendable, Hashable {
    /// A human name, shown in the audit log (1–100 characters).
    public var name: String
    /// The role.
    public var role: AccessRole
    /// The one brand the token sees, or nil for every brand. Admin tokens are never scoped.
    public var brandID: UUID?
    /// The SHA-256 of the secret, as 64 lowercase hex digits.
    public var secretHash: String

    public init(name: String, role: AccessRole, brandID: UUID? = nil, secretHash: String) {
        self.name = name
        self.role = role
        self.brandID = brandID
        self.secretHash = secretHash
    }

    /// Checks the name, the scope and the hash's form.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, name.count <= 100 else {
            throw .invalidArgument("name", "must be 1 to 100 characters")
        }
        try StoredText.check(name, field: "name")
        guard role != .admin || brandID == nil else {
            throw .invalidArgument("brand_id", "an admin token sees every brand; scope an operator or viewer token")
        }
        guard secretHash.count == 64, secretHash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .invalidArgument("secret_hash", "must be 64 lowercase hex digits")
        }
    }
}

/// A stored API token (never its secret).
public struct APIToken: Sendable, Hashable, Identifiable {
    public let id: UUID
    public let name: String
    public let role: AccessRole
    public let brandID: UUID?
    public let createdAt: Date
    /// When the token was last used, to the minute.
    public let lastUsedAt: Date?
    /// When the token was revoked; a revoked token authenticates nothing.
    public let revokedAt: Date?

    public init(
        id: UUID, name: String, role: AccessRole, brandID: UUID?, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.brandID = brandID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// One mutating action to record in the audit log.
public struct NewAuditEntry: Sendable, Hashable {
    /// The acting token's name.
    public var actor: String
    /// The acting token's id, nil for actions of the system itself.
    public var tokenID: UUID?
    /// What was done, as `resource.verb` (`job.enqueue`, `run.cancel`, `token.revoke`).
    public var action: String
    /// What it was done to (`job/12`, `run/40`, `brand/…`).
    public var target: String
    /// The brand concerned, if any.
    public var brandID: UUID?
    /// `ok`, or the error code the action ended with.
    public var outcome: String
    public var at: Date

    public init(
        actor: String, tokenID: UUID?, action: String, target: String, brandID: UUID?, outcome: String, at: Date
    ) {
        self.actor = actor
        self.tokenID = tokenID
        self.action = action
        self.target = target
        self.brandID = brandID
        self.outcome = outcome
        self.at = at
    }
}

/// A recorded audit entry.
public struct AuditEntry: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let entry: NewAuditEntry

    public init(id: Int64, entry: NewAuditEntry) {
        self.id = id
        self.entry = entry
    }
}

/// A page of the audit log, newest first.
public struct AuditQuery: Sendable, Hashable {
    public var brandID: UUID?
    public var limit: Int
    public var cursor: String?

    public init(brandID: UUID? = nil, limit: Int = 50, cursor: String? = nil) {
        self.brandID = brandID
        self.limit = limit
        self.cursor = cursor
    }
}

/// A dashboard login to be stored: only the SHA-256 of its opaque id (the cookie's value) is ever kept.
public struct NewDashboardSession: Sendable, Hashable {
    /// The SHA-256 of the session's id, as 64 lowercase hex digits.
    public var idHash: String
    /// The token that logged in; the session lives only while it is unrevoked.
    public var tokenID: UUID
    public var createdAt: Date
    /// When the session ends; it is refused from then on.
    public var expiresAt: Date

    public init(idHash: String, tokenID: UUID, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.tokenID = tokenID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Checks the hash's form and that the session ends after it starts.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard idHash.count == 64, idHash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .invalidArgument("id_hash", "must be 64 lowercase hex digits")
        }
        guard expiresAt > createdAt else { throw .invalidArgument("expires_at", "must be after created_at") }
    }
}

/// A stored dashboard session with the token it belongs to.
public struct DashboardSessionRecord: Sendable, Hashable {
    /// The SHA-256 of the session's id (hex).
    public let idHash: String
    /// The token that logged in.
    public let token: APIToken
    public let createdAt: Date
    public let expiresAt: Date

    public init(idHash: String, token: APIToken, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.token = token
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
