extension SQLiteMigrations {
    /// Migration 5: listing recurring jobs stays fast among millions of one-time jobs, and runs filtered by state
    /// (the dashboard's and the API's `state=`) are read from an index instead of walking the history. (Listing
    /// finished runs by `finished_at` is already served by migration 1's `runs_finished`.)
    static let schemaV5 = """
        CREATE INDEX jobs_recurring ON jobs (id) WHERE schedule_kind = 'recurring';
        CREATE INDEX runs_state ON runs (state, id);
        """
}
