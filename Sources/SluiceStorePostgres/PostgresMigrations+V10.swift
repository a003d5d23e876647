extension PostgresMigrations {
    /// Migration 10: a one-time job without a uniqueness key is stored as its run alone.
    ///
    /// Enqueuing such a job writes one row, to `run_queue`, and finishing it writes no job row at all: its run's
    /// `job_id` is the run's own id, its `fire_time` is the job's `run_at`, and its status is read from the run
    /// (active while the run is unfinished, finished after). The job gets a `jobs` row of its own only when an
    /// operator acts on it (pause, resume, cancel, retry, run again), from the run as it is then. Jobs and runs take
    /// their ids from one sequence, `runs_id_seq`, so a job's id never names another job's run.
    static let schemaV10 = [
        "ALTER TABLE jobs ALTER COLUMN id SET DEFAULT nextval('runs_id_seq')",
        """
        SELECT setval('runs_id_seq', GREATEST((SELECT last_value FROM runs_id_seq),
            (SELECT last_value FROM jobs_id_seq), (SELECT COALESCE(max(id), 1) FROM jobs)))
        """,
        "DROP SEQUENCE jobs_id_seq",
    ]
}
