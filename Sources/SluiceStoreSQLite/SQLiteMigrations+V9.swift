extension SQLiteMigrations {
    /// Migration 9: the queue and the history are separate tables (storage model v2), as on PostgreSQL.
    ///
    /// `run_queue` holds only unfinished runs (queued, retrying, running) with the indexes claims, heartbeats, fences
    /// and rescues need (the primary key, `run_queue_ready`, `run_queue_running`) and `run_queue_job`, which finds a
    /// job's runs when the job is changed or deleted; `run_history` (the old `runs` table, renamed, keeping its rows
    /// and its history indexes) holds finished runs. The `runs` view is both, for readers. New ids come from
    /// `run_queue`'s AUTOINCREMENT sequence, which continues the old table's, so a run keeps its id when it moves.
    ///
    /// Both tables list their columns in the same order; a later migration that adds a column adds it to both.
    /// `run_logs` is rebuilt without its foreign key to a run table (its lines are deleted with their runs by
    /// pruning and with their jobs by job and brand deletion), keeping its ids and its sequence; it is rebuilt before
    /// the unfinished runs leave `run_history`, whose deletes would otherwise cascade to their lines.
    static let schemaV9 = """
        ALTER TABLE runs RENAME TO run_history;

        CREATE TABLE run_logs_v9 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            at INTEGER NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL
        );
        INSERT INTO run_logs_v9 SELECT * FROM run_logs;
        DELETE FROM sqlite_sequence WHERE name = 'run_logs_v9';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'run_logs_v9', seq FROM sqlite_sequence WHERE name = 'run_logs';
        DROP TABLE run_logs;
        ALTER TABLE run_logs_v9 RENAME TO run_logs;
        CREATE INDEX run_logs_run ON run_logs (run_id, id);

        DROP INDEX runs_ready;
        DROP INDEX runs_due;
        DROP INDEX runs_running;

        CREATE TABLE run_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            brand_id TEXT NOT NULL,
            job_type TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL,
            parameters TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled', 'timed_out')),
            paused INTEGER NOT NULL DEFAULT 0,
            attempt INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            scheduled_at INTEGER NOT NULL,
            fire_time INTEGER,
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            worker_id TEXT,
            lease_expires_at INTEGER,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            progress REAL,
            progress_message TEXT,
            error TEXT,
            result TEXT,
            rows_written INTEGER
        );
        INSERT INTO run_queue SELECT * FROM run_history WHERE state IN ('queued', 'retrying', 'running');
        DELETE FROM run_history WHERE state IN ('queued', 'retrying', 'running');
        DELETE FROM sqlite_sequence WHERE name = 'run_queue';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'run_queue', seq FROM sqlite_sequence WHERE name = 'run_history';
        CREATE INDEX run_queue_ready ON run_queue (queue, job_type, priority, scheduled_at, id)
            WHERE state IN ('queued', 'retrying') AND paused = 0;
        CREATE INDEX run_queue_running ON run_queue (job_type) WHERE state = 'running';
        CREATE UNIQUE INDEX run_queue_job ON run_queue (job_id, fire_time);

        CREATE VIEW runs AS SELECT * FROM run_queue UNION ALL SELECT * FROM run_history;
        """
}
