extension SQLiteMigrations {
    /// The tables besides `jobs` whose rows belong to a brand (`brand_id`, null for global webhooks and unscoped
    /// tokens).
    static let brandOwnedTables = [
        "dataset_refreshes", "dataset_history", "dataset_overrides", "webhooks", "api_tokens",
    ]

    /// Migration 8: the rest of what belongs to a brand follows migration 7's rule: dataset refreshes, history and
    /// overrides, webhooks and API tokens scoped to a brand name one that exists, and go with it when it is deleted
    /// (a token's dashboard sessions and a webhook's deliveries by their own foreign keys). Rows whose brand is
    /// already gone keep it, restored under a placeholder name. The audit log keeps a deleted brand's id: it is
    /// history. Each table gets an insert trigger named for PostgreSQL's foreign key (`TABLE_brand_id_fkey`).
    static let schemaV8 =
        """
        INSERT INTO brands (id, name, created_at)
        SELECT DISTINCT brand_id, 'Restored brand ' || substr(brand_id, 1, 8),
            CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
        FROM (\(brandOwnedTables.map { "SELECT brand_id FROM \($0)" }.joined(separator: " UNION ")))
        WHERE brand_id IS NOT NULL AND brand_id NOT IN (SELECT id FROM brands);

        CREATE TRIGGER brands_delete_owned AFTER DELETE ON brands
        BEGIN
            \(brandOwnedTables.map { "DELETE FROM \($0) WHERE brand_id = OLD.id;" }.joined(separator: "\n    "))
        END;

        """
        + brandOwnedTables.map { table in
            """
            CREATE TRIGGER \(table)_brand_exists BEFORE INSERT ON \(table)
            WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
            BEGIN
                SELECT RAISE(ABORT, '\(table)_brand_id_fkey');
            END;

            """
        }.joined()
}
