import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func createToken(_ token: NewAPIToken) async throws -> APIToken {
        try token.validate()
        let now = configuration.now()
        return try await transaction { connection in try await insertToken(token, now: now, on: connection) }
    }

    public func createFirstToken(_ token: NewAPIToken) async throws -> APIToken? {
        try token.validate()
        let now = configuration.now()
        return try await transaction { connection in
            // Two nodes starting on an empty database must not both create a first token.
            _ = try await rows("SELECT pg_advisory_xact_lock(\(Self.firstTokenLock))", on: connection)
            let existing = try await rows("SELECT 1 FROM api_tokens LIMIT 1", on: connection)
            guard existing.isEmpty else { return nil }
            return try await insertToken(token, now: now, on: connection)
        }
    }

    public func authenticate(secretHash: String, at date: Date) async throws -> APIToken? {
        let minute = StoredAccessValues.minute(of: date)
        let found = try await rows(
            "SELECT * FROM api_tokens WHERE secret_hash = \(secretHash) AND revoked_at IS NULL"
        ).first.map(Self.token)
        guard let token = found else { return nil }
        return try await markUsed(token, minute: minute)
    }

    /// Records that `token` was used in `minute`, unless it already was: most requests read only, and the use is
    /// written once a minute per token, not on every request. Returns the token as it now stands.
    func markUsed(_ token: APIToken, minute: Date) async throws -> APIToken {
        guard token.lastUsedAt.map({ $0 < minute }) ?? true else { return token }
        let touched = try await rows(
            """
            UPDATE api_tokens SET last_used_at = \(minute)
            WHERE id = \(token.id) AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < \(minute))
            RETURNING *
            """)
        return try touched.first.map(Self.token) ?? token
    }

    public func tokens() async throws -> [APIToken] {
        try await rows("SELECT * FROM api_tokens ORDER BY seq").map(Self.token)
    }

    public func revokeToken(id: UUID) async throws -> APIToken {
        let now = configuration.now()
        guard
            let row = try await rows(
                """
                UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, \(now)) WHERE id = \(id) RETURNING *
                """
            ).first
        else { throw SluiceError.notFound("token", id.uuidString.lowercased()) }
        return try Self.token(row)
    }

    public func appendAudit(_ entry: NewAuditEntry) async throws -> AuditEntry {
        try entry.validate()
        guard
            let row = try await rows(
                """
                INSERT INTO audit_log (at, actor, token_id, action, target, brand_id, outcome)
                VALUES (\(entry.at), \(entry.actor), \(entry.tokenID), \(entry.action), \(entry.target),
                    \(entry.brandID), \(entry.outcome))
                RETURNING id
                """
            ).first
        else { throw SluiceError(.storageFailure, "the audit insert returned no id") }
        return AuditEntry(id: try row["id"].decode(Int64.self), entry: entry)
    }

    public func auditLog(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try PageLimit.validate(query.limit)
        let before = try PageCursor.decode(query.cursor) ?? Int64.max
        let entries = try await rows(
            """
            SELECT * FROM audit_log WHERE id < \(before) AND (\(query.brandID)::uuid IS NULL OR brand_id = \(query.brandID))
            ORDER BY id DESC LIMIT \(query.limit + 1)
            """
        ).map { row in
            AuditEntry(
                id: try row["id"].decode(Int64.self),
                entry: NewAuditEntry(
                    actor: try row["actor"].decode(String.self), tokenID: try row["token_id"].decode(UUID?.self),
                    action: try row["action"].decode(String.self), target: try row["target"].decode(String.self),
                    brandID: try row["brand_id"].decode(UUID?.self), outcome: try row["outcome"].decode(String.self),
                    at: try row["at"].instant()))
        }
        return Page(fetched: entries, limit: query.limit, id: \.id)
    }

    /// The advisory lock key serialising first-token creation ("sluice-t" in ASCII).
    private static let firstTokenLock: Int64 = 0x736c_7569_6365_2d74

    private func insertToken(
        _ token: NewAPIToken, now: Date, on connection: PostgresConnection
    ) async throws
        -> APIToken
    {
        let clash = try await rows(
            "SELECT 1 FROM api_tokens WHERE secret_hash = \(token.secretHash)", on: connection)
        guard clash.isEmpty else {
            throw SluiceError(.conflict, "a token with this secret already exists", field: "secret_hash")
        }
        let id = UUID()
        let row = try await rows(
            """
            INSERT INTO api_tokens (id, name, role, brand_id, secret_hash, created_at)
            VALUES (\(id), \(token.name), \(token.role.rawValue), \(token.brandID), \(token.secretHash), \(now))
            RETURNING *
            """, on: connection)
        return try Self.token(row[0])
    }

    static func token(_ row: PostgresRandomAccessRow) throws -> APIToken {
        APIToken(
            id: try row["id"].decode(UUID.self), name: try row["name"].decode(String.self),
            role: try StoredAccessValues.role(try row["role"].decode(String.self)),
            brandID: try row["brand_id"].decode(UUID?.self), createdAt: try row["created_at"].instant(),
            lastUsedAt: try row["last_used_at"].optionalInstant(), revokedAt: try row["revoked_at"].optionalInstant())
    }
}
