extension SQLiteMigrations {
    /// Migration 7: every job belongs to a brand that exists, in the schema. A job whose brand is gone (deleted
    /// before this rule, or enqueued under an unknown id) keeps its history: its brand is restored under a
    /// placeholder name ("Restored brand 0a000000") that an operator can rename or delete. SQLite cannot add a
    /// foreign key to an existing table without rebuilding it (which would cascade through `runs`), so triggers
    /// hold the rule: an insert naming a missing brand is aborted, and deleting a brand deletes its jobs, whose
    /// runs and logs go with them by their own foreign keys.
    static let schemaV7 = """
        INSERT INTO brands (id, name, created_at)
        SELECT DISTINCT brand_id, 'Restored brand ' || substr(brand_id, 1, 8),
            CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
        FROM jobs WHERE brand_id NOT IN (SELECT id FROM brands);

        CREATE TRIGGER jobs_brand_exists BEFORE INSERT ON jobs
        WHEN NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'jobs_brand_id_fkey');
        END;

        CREATE TRIGGER jobs_brand_unchanged BEFORE UPDATE OF brand_id ON jobs
        WHEN NOT EXISTS (SELECT 1 FROM brands WHERE id = NEW.brand_id)
        BEGIN
            SELECT RAISE(ABORT, 'jobs_brand_id_fkey');
        END;

        CREATE TRIGGER brands_delete_jobs AFTER DELETE ON brands
        BEGIN
            DELETE FROM jobs WHERE brand_id = OLD.id;
        END;
        """
}
