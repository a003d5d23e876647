extension PostgresMigrations {
    /// Migration 4: the control plane's API tokens and audit log.
    static let schemaV4 = [
        """
        CREATE TABLE api_tokens (
            id UUID PRIMARY KEY,
            seq BIGINT GENERATED ALWAYS AS IDENTITY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
            brand_id UUID,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            last_used_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE audit_log (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL,
            actor TEXT NOT NULL,
            token_id UUID,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            brand_id UUID,
            outcome TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_log_brand ON audit_log (brand_id, id)",
    ]
}
