extension SQLiteMigrations {
    /// Migration 4: the control plane's API tokens and audit log.
    static let schemaV4 = """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
            brand_id TEXT,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            token_id TEXT,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            brand_id TEXT,
            outcome TEXT NOT NULL
        );
        CREATE INDEX audit_log_brand ON audit_log (brand_id, id);
        """
}
