extension PostgresMigrations {
    /// The tables besides `jobs` whose rows belong to a brand (`brand_id`, null for global webhooks and unscoped
    /// tokens).
    static let brandOwnedTables = [
        "dataset_refreshes", "dataset_history", "dataset_overrides", "webhooks", "api_tokens",
    ]

    /// Migration 8: the rest of what belongs to a brand follows migration 7's rule: dataset refreshes, history and
    /// overrides, webhooks and API tokens scoped to a brand name one that exists, and go with it when it is deleted
    /// (a token's dashboard sessions and a webhook's deliveries by their own foreign keys). Rows whose brand is
    /// already gone keep it, restored under a placeholder name. The audit log keeps a deleted brand's id: it is
    /// history.
    static let schemaV8 =
        [
            """
            INSERT INTO brands (id, name, created_at)
            SELECT DISTINCT brand_id, 'Restored brand ' || left(brand_id::text, 8), now()
            FROM (\(brandOwnedTables.map { "SELECT brand_id FROM \($0)" }.joined(separator: " UNION "))) AS referenced
            WHERE brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE brands.id = referenced.brand_id)
            """
        ]
        + brandOwnedTables.map { table in
            """
            ALTER TABLE \(table) ADD CONSTRAINT \(table)_brand_id_fkey
            FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
            """
        }
}
