extension PostgresMigrations {
    /// Migration 8: the rest of what belongs to a brand follows migration 7's rule: dataset refreshes, history and
    /// overrides, webhooks and API tokens scoped to a brand name one that exists, and go with it when it is deleted
    /// (a token's dashboard sessions and a webhook's deliveries by their own foreign keys). Rows whose brand is
    /// already gone keep it, restored under a placeholder name. Global webhooks and unscoped tokens have no brand.
    /// The audit log keeps a deleted brand's id: it is history.
    static let schemaV8 = [
        """
        INSERT INTO brands (id, name, created_at)
        SELECT DISTINCT brand_id, 'Restored brand ' || left(brand_id::text, 8), now()
        FROM (
            SELECT brand_id FROM dataset_refreshes
            UNION SELECT brand_id FROM dataset_history
            UNION SELECT brand_id FROM dataset_overrides
            UNION SELECT brand_id FROM webhooks
            UNION SELECT brand_id FROM api_tokens
        ) AS referenced
        WHERE brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE brands.id = referenced.brand_id)
        """,
        """
        ALTER TABLE dataset_refreshes ADD CONSTRAINT dataset_refreshes_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
        """
        ALTER TABLE dataset_history ADD CONSTRAINT dataset_history_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
        """
        ALTER TABLE dataset_overrides ADD CONSTRAINT dataset_overrides_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
        """
        ALTER TABLE webhooks ADD CONSTRAINT webhooks_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
        """
        ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
    ]
}
