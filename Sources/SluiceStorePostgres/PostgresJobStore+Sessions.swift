import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func createSession(_ session: NewDashboardSession) async throws -> DashboardSessionRecord {
        try session.validate()
        return try await transaction { connection in
            _ = try await rows(
                "DELETE FROM dashboard_sessions WHERE expires_at <= \(session.createdAt)", on: connection)
            guard
                let row = try await rows(
                    "SELECT * FROM api_tokens WHERE id = \(session.tokenID) AND revoked_at IS NULL", on: connection
                ).first
            else { throw SluiceError(.notFound, "the token is unknown or revoked", field: "token_id") }
            let inserted = try await rows(
                """
                INSERT INTO dashboard_sessions (id_hash, token_id, created_at, expires_at)
                VALUES (\(session.idHash), \(session.tokenID), \(session.createdAt), \(session.expiresAt))
                ON CONFLICT (id_hash) DO NOTHING RETURNING id_hash
                """, on: connection)
            guard !inserted.isEmpty else {
                throw SluiceError(.conflict, "a session with this id already exists", field: "id_hash")
            }
            return DashboardSessionRecord(
                idHash: session.idHash, token: try Self.token(row), createdAt: session.createdAt.roundedToMicroseconds,
                expiresAt: session.expiresAt.roundedToMicroseconds)
        }
    }

    public func session(idHash: String, at date: Date) async throws -> DashboardSessionRecord? {
        let found = try await rows(
            """
            SELECT t.*, s.id_hash, s.created_at AS session_created_at, s.expires_at AS session_expires_at
            FROM dashboard_sessions s JOIN api_tokens t ON t.id = s.token_id
            WHERE s.id_hash = \(idHash) AND s.expires_at > \(date) AND t.revoked_at IS NULL
            """
        ).first.map(Self.session)
        // Like a bearer token, the session's token is marked used once a minute, not on every request.
        guard let session = found else { return nil }
        let token = try await markUsed(session.token, minute: StoredAccessValues.minute(of: date))
        return DashboardSessionRecord(
            idHash: session.idHash, token: token, createdAt: session.createdAt, expiresAt: session.expiresAt)
    }

    @discardableResult
    public func deleteSession(idHash: String) async throws -> Bool {
        try await !rows("DELETE FROM dashboard_sessions WHERE id_hash = \(idHash) RETURNING 1").isEmpty
    }

    @discardableResult
    public func deleteExpiredSessions(before date: Date) async throws -> Int {
        let counted = try await rows(
            """
            WITH deleted AS (DELETE FROM dashboard_sessions WHERE expires_at <= \(date) RETURNING 1)
            SELECT count(*) AS deleted FROM deleted
            """)
        return try counted.first?["deleted"].decode(Int.self) ?? 0
    }

    private static func session(_ row: PostgresRandomAccessRow) throws -> DashboardSessionRecord {
        DashboardSessionRecord(
            idHash: try row["id_hash"].decode(String.self), token: try token(row),
            createdAt: try row["session_created_at"].instant(), expiresAt: try row["session_expires_at"].instant())
    }
}
