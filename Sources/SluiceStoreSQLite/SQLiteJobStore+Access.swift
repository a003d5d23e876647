import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func createToken(_ token: NewAPIToken) async throws -> APIToken {
        try token.validate()
        let now = configuration.now()
        return try await write { db in try Self.insertToken(token, now: now, in: db) }
    }

    public func createFirstToken(_ token: NewAPIToken) async throws -> APIToken? {
        try token.validate()
        let now = configuration.now()
        return try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM api_tokens") == 0 else { return nil }
            return try Self.insertToken(token, now: now, in: db)
        }
    }

    public func authenticate(secretHash: String, at date: Date) async throws -> APIToken? {
        let minute = StoredAccessValues.minute(of: date)
        let found = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_tokens WHERE secret_hash = ? AND revoked_at IS NULL",
                arguments: [secretHash]
            ).map(Self.token)
        }
        guard let token = found else { return nil }
        return try await markUsed(token, minute: minute)
    }

    /// Records that `token` was used in `minute`, unless it already was: most requests read only, and the use is
    /// written once a minute per token, not on every request. Returns the token as it now stands.
    func markUsed(_ token: APIToken, minute: Date) async throws -> APIToken {
        guard token.lastUsedAt.map({ $0 < minute }) ?? true else { return token }
        let touched = try await write { db in
            try Row.fetchOne(
                db,
                sql: """
                    UPDATE api_tokens SET last_used_at = ?1
                    WHERE id = ?2 AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < ?1)
                    RETURNING *
                    """, arguments: [minute.microsecondsSince1970, token.id.storageText]
            ).map(Self.token)
        }
        return touched ?? token
    }

    public func tokens() async throws -> [APIToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY rowid").map(Self.token)
        }
    }

    public func revokeToken(id: UUID) async throws -> APIToken {
        let now = configuration.now().microsecondsSince1970
        return try await write { db in
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [now, id.storageText])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [id.storageText])
            else { throw SluiceError.notFound("token", id.storageText) }
            return try Self.token(row)
        }
    }

    public func appendAudit(_ entry: NewAuditEntry) async throws -> AuditEntry {
        try entry.validate()
        let id = try await write { db in
            try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO audit_log (at, actor, token_id, action, target, brand_id, outcome)
                    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """,
                arguments: [
                    entry.at.microsecondsSince1970, entry.actor, entry.tokenID?.storageText, entry.action,
                    entry.target, entry.brandID?.storageText, entry.outcome,
                ])!
        }
        return AuditEntry(id: id, entry: entry)
    }

    public func auditLog(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try PageLimit.validate(query.limit)
        let before = try PageCursor.decode(query.cursor) ?? Int64.max
        let entries = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit_log WHERE id < ?1 AND (?2 IS NULL OR brand_id = ?2) ORDER BY id DESC LIMIT ?3
                    """, arguments: [before, query.brandID?.storageText, query.limit + 1]
            ).map(Self.auditEntry)
        }
        return Page(fetched: entries, limit: query.limit, id: \.id)
    }

    private static func insertToken(_ token: NewAPIToken, now: Date, in db: Database) throws -> APIToken {
        guard
            try Int.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE secret_hash = ?", arguments: [token.secretHash])
                == nil
        else { throw SluiceError(.conflict, "a token with this secret already exists", field: "secret_hash") }
        let id = UUID()
        try db.execute(
            sql: """
                INSERT INTO api_tokens (id, name, role, brand_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.storageText, token.name, token.role.rawValue, token.brandID?.storageText, token.secretHash,
                now.microsecondsSince1970,
            ])
        return APIToken(
            id: id, name: token.name, role: token.role, brandID: token.brandID, createdAt: now.roundedToMicroseconds,
            lastUsedAt: nil, revokedAt: nil)
    }

    static func token(_ row: Row) throws -> APIToken {
        APIToken(
            id: try StoredPipelineValues.uuid(row["id"]), name: row["name"],
            role: try StoredAccessValues.role(row["role"]),
            brandID: try (row["brand_id"] as String?).map(StoredPipelineValues.uuid),
            createdAt: Date(microsecondsSince1970: row["created_at"]),
            lastUsedAt: SQLiteRows.date(row["last_used_at"]), revokedAt: SQLiteRows.date(row["revoked_at"]))
    }

    private static func auditEntry(_ row: Row) throws -> AuditEntry {
        AuditEntry(
            id: row["id"],
            entry: NewAuditEntry(
                actor: row["actor"], tokenID: try (row["token_id"] as String?).map(StoredPipelineValues.uuid),
                action: row["action"], target: row["target"],
                brandID: try (row["brand_id"] as String?).map(StoredPipelineValues.uuid), outcome: row["outcome"],
                at: Date(microsecondsSince1970: row["at"])))
    }
}
