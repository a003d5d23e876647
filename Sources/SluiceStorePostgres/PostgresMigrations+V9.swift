extension PostgresMigrations {
    /// Migration 9: the queue and the history are separate tables (storage model v2).
    ///
    /// `run_queue` holds only unfinished runs (queued, retrying, running) with the indexes claims, heartbeats, fences
    /// and rescues need (the primary key, `run_queue_ready`, `run_queue_running`) and `run_queue_job`, which finds a
    /// job's runs when the job is changed or deleted; `run_history` (the old `runs` table, renamed, keeping its rows and its history indexes)
    /// holds finished runs. A run moves from the queue to the history in the transaction that finishes it, and back
    /// when an operator retries it. The `runs` view is both, for readers; ids come from one sequence, so a run keeps
    /// its id when it moves and keyset pages over the view stay exact.
    ///
    /// Both tables list their columns in the same order (`run_queue` is made `LIKE run_history`); a later migration
    /// that adds a column adds it to both, in the same place. Neither run table has a foreign key to `jobs`, and
    /// `run_logs` none to a run table: a completion moving 1 000 runs spent 8 of its 54 ms checking each run's job
    /// for `runs_job_id_fkey`. Pruning deletes runs with their lines; deleting a job or a brand deletes its runs and
    /// their lines first.
    ///
    /// The migration takes the `runs` table's lock for as long as it moves the unfinished runs (0.1 to 0.2 s for
    /// 10 000 of 110 000 runs in the migration test); workers of this version wait for it and carry on.
    static let schemaV9 = [
        "LOCK TABLE runs IN ACCESS EXCLUSIVE MODE",
        "ALTER TABLE runs RENAME TO run_history",
        "ALTER TABLE run_logs DROP CONSTRAINT run_logs_run_id_fkey",
        "ALTER TABLE run_history DROP CONSTRAINT runs_job_id_fkey",
        "DROP INDEX runs_ready, runs_due, runs_running",
        """
        CREATE TABLE run_queue (LIKE run_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
        WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.1, autovacuum_vacuum_threshold = 2000,
              autovacuum_vacuum_insert_scale_factor = 0.1, autovacuum_vacuum_insert_threshold = 2000,
              autovacuum_analyze_scale_factor = 0.05, autovacuum_vacuum_cost_delay = 0)
        """,
        "ALTER TABLE run_queue ADD PRIMARY KEY (id)",
        """
        WITH moved AS (
            DELETE FROM run_history WHERE state IN ('queued', 'retrying', 'running') RETURNING *
        )
        INSERT INTO run_queue SELECT * FROM moved
        """,
        """
        CREATE INDEX run_queue_ready ON run_queue (queue, job_type, priority, scheduled_at, id)
            WHERE state IN ('queued', 'retrying') AND NOT paused
        """,
        "CREATE INDEX run_queue_running ON run_queue (job_type) WHERE state = 'running'",
        // Serves a job's unfinished runs (the foreign key's cascade among them) and keeps a tick from running twice.
        "CREATE UNIQUE INDEX run_queue_job ON run_queue (job_id, fire_time)",
        "CREATE VIEW runs AS SELECT * FROM run_queue UNION ALL SELECT * FROM run_history",
        "ANALYZE run_queue",
    ]
}
