import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func createSession(_ session: NewDashboardSession) async throws -> DashboardSessionRecord {
        try session.validate()
        return try await write { db in
            try db.execute(
                sql: "DELETE FROM dashboard_sessions WHERE expires_at <= ?",
                arguments: [session.createdAt.microsecondsSince1970])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM api_tokens WHERE id = ? AND revoked_at IS NULL",
                    arguments: [session.tokenID.storageText])
            else { throw SluiceError(.notFound, "the token is unknown or revoked", field: "token_id") }
            guard
                try Int.fetchOne(
                    db, sql: "SELECT 1 FROM dashboard_sessions WHERE id_hash = ?", arguments: [session.idHash]) == nil
            else { throw SluiceError(.conflict, "a session with this id already exists", field: "id_hash") }
            try db.execute(
                sql: "INSERT INTO dashboard_sessions (id_hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [
                    session.idHash, session.tokenID.storageText, session.createdAt.microsecondsSince1970,
                    session.expiresAt.microsecondsSince1970,
                ])
            return DashboardSessionRecord(
                idHash: session.idHash, token: try Self.token(row), createdAt: session.createdAt.roundedToMicroseconds,
                expiresAt: session.expiresAt.roundedToMicroseconds)
        }
    }

    public func session(idHash: String, at date: Date) async throws -> DashboardSessionRecord? {
        let found = try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT t.*, s.id_hash, s.created_at AS session_created_at, s.expires_at AS session_expires_at
                    FROM dashboard_sessions s JOIN api_tokens t ON t.id = s.token_id
                    WHERE s.id_hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL
                    """, arguments: [idHash, date.microsecondsSince1970]
            ).map(Self.session)
        }
        // Like a bearer token, the session's token is marked used once a minute, not on every request.
        guard let session = found else { return nil }
        let token = try await markUsed(session.token, minute: StoredAccessValues.minute(of: date))
        return DashboardSessionRecord(
            idHash: session.idHash, token: token, createdAt: session.createdAt, expiresAt: session.expiresAt)
    }

    @discardableResult
    public func deleteSession(idHash: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE id_hash = ?", arguments: [idHash])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func deleteExpiredSessions(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM dashboard_sessions WHERE expires_at <= ?", arguments: [date.microsecondsSince1970])
            return db.changesCount
        }
    }

    private static func session(_ row: Row) throws -> DashboardSessionRecord {
        DashboardSessionRecord(
            idHash: row["id_hash"], token: try token(row),
            createdAt: Date(microsecondsSince1970: row["session_created_at"]),
            expiresAt: Date(microsecondsSince1970: row["session_expires_at"]))
    }
}
