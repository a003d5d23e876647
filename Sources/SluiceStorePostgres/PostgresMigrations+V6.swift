extension PostgresMigrations {
    /// Migration 6: server-side dashboard sessions. Only the SHA-256 of a session's opaque id is stored; a session
    /// goes with its token when the token row is deleted, and is refused once the token is revoked.
    static let schemaV6 = [
        """
        CREATE TABLE dashboard_sessions (
            id_hash TEXT PRIMARY KEY,
            token_id UUID NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX dashboard_sessions_token ON dashboard_sessions (token_id)",
        "CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at)",
    ]
}
