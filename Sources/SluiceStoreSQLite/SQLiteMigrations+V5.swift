extension SQLiteMigrations {
    /// Migration 5: listing recurring jobs stays fast among millions of one-time jobs. (Listing finished runs by
    /// `finished_at` is already served by migration 1's `runs_finished`.)
    static let schemaV5 = """
        CREATE INDEX jobs_recurring ON jobs (id) WHERE schedule_kind = 'recurring';
        """
}
