extension SQLiteMigrations {
    /// Migration 8: the rest of what belongs to a brand follows migration 7's rule: dataset refreshes, history and
    /// overrides, webhooks and API tokens scoped to a brand name one that exists, and go with it when it is deleted
    /// (a token's dashboard sessions and a webhook's deliveries by their own foreign keys). Rows whose brand is
    /// already gone keep it, restored under a placeholder name. Global webhooks and unscoped tokens have no brand.
    /// The audit log keeps a deleted brand's id: it is history.
    static let schemaV8 = """
        INSERT INTO brands (id, name, created_at)
        SELECT DISTINCT brand_id, 'Restored brand ' || substr(brand_id, 1, 8),
            CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
        FROM (
            SELECT brand_id FROM dataset_refreshes
            UNION SELECT brand_id FROM dataset_history
            UNION SELECT brand_id FROM dataset_overrides
            UNION SELECT brand_id FROM webhooks
            UNION SELECT brand_id FROM api_tokens
        )
        WHERE brand_id IS NOT NULL AND brand_id NOT IN (SELECT id FROM brands);

        CREATE TRIGGER dataset_refreshes_brand_exists BEFORE INSERT ON dataset_refreshes
        WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'dataset_refreshes_brand_id_fkey');
        END;

        CREATE TRIGGER dataset_history_brand_exists BEFORE INSERT ON dataset_history
        WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'dataset_history_brand_id_fkey');
        END;

        CREATE TRIGGER dataset_overrides_brand_exists BEFORE INSERT ON dataset_overrides
        WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'dataset_overrides_brand_id_fkey');
        END;

        CREATE TRIGGER webhooks_brand_exists BEFORE INSERT ON webhooks
        WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'webhooks_brand_id_fkey');
        END;

        CREATE TRIGGER api_tokens_brand_exists BEFORE INSERT ON api_tokens
        WHEN NEW.brand_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'api_tokens_brand_id_fkey');
        END;

        CREATE TRIGGER brands_delete_owned AFTER DELETE ON brands
        BEGIN
            DELETE FROM dataset_refreshes WHERE brand_id = OLD.id;
            DELETE FROM dataset_history WHERE brand_id = OLD.id;
            DELETE FROM dataset_overrides WHERE brand_id = OLD.id;
            DELETE FROM webhooks WHERE brand_id = OLD.id;
            DELETE FROM api_tokens WHERE brand_id = OLD.id;
        END;
        """
}
