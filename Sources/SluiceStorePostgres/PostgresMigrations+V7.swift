extension PostgresMigrations {
    /// Migration 7: every job belongs to a brand that exists, in the schema (`jobs_brand_id_fkey`; deleting a brand
    /// deletes its jobs, whose runs and logs go with them by their own foreign keys). A job whose brand is gone
    /// (deleted before this rule, or enqueued under an unknown id) keeps its history: its brand is restored under a
    /// placeholder name ("Restored brand 0a000000") that an operator can rename or delete.
    static let schemaV7 = [
        """
        INSERT INTO brands (id, name, created_at)
        SELECT DISTINCT brand_id, 'Restored brand ' || left(brand_id::text, 8), now()
        FROM jobs WHERE NOT EXISTS (SELECT 1 FROM brands WHERE brands.id = jobs.brand_id)
        """,
        """
        ALTER TABLE jobs ADD CONSTRAINT jobs_brand_id_fkey
        FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE
        """,
    ]
}
