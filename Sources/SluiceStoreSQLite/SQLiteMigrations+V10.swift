extension SQLiteMigrations {
    /// Migration 10: a one-time job without a uniqueness key is stored as its run alone (see `PostgresMigrations`'s
    /// migration 10 for the model). Jobs and runs take their ids from one sequence, `run_queue`'s, so a job's id never
    /// names another job's run; `jobs` keeps its AUTOINCREMENT column but every new row is given an id from that
    /// sequence. Both run tables are rebuilt without their foreign key to `jobs` (SQLite cannot drop a constraint),
    /// keeping their rows, ids and indexes; deleting a job or a brand deletes its runs explicitly. The rebuild copies
    /// every run once (0.42 to 0.46 s for 110 000 runs, measured on the migration test's fixture), under the
    /// migration's write lock.
    static let schemaV10 = """
        DROP VIEW runs;
        \(rebuiltWithoutJobKey("run_queue", autoincrement: true))
        CREATE INDEX run_queue_ready ON run_queue (queue, job_type, priority, scheduled_at, id)
            WHERE state IN ('queued', 'retrying') AND paused = 0;
        CREATE INDEX run_queue_running ON run_queue (job_type) WHERE state = 'running';
        CREATE UNIQUE INDEX run_queue_job ON run_queue (job_id, fire_time);

        \(rebuiltWithoutJobKey("run_history", autoincrement: false))
        CREATE INDEX runs_job ON run_history (job_id, id);
        CREATE INDEX runs_brand ON run_history (brand_id, id);
        CREATE INDEX runs_type ON run_history (job_type, id);
        CREATE INDEX runs_state ON run_history (state, id);
        CREATE INDEX runs_finished ON run_history (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_competitor ON run_history (json_extract(parameters, '$.competitor_id'), id)
            WHERE json_extract(parameters, '$.competitor_id') IS NOT NULL;
        CREATE UNIQUE INDEX runs_fire_time ON run_history (job_id, fire_time) WHERE fire_time IS NOT NULL;

        CREATE VIEW runs AS SELECT * FROM run_queue UNION ALL SELECT * FROM run_history;

        INSERT INTO sqlite_sequence (name, seq) SELECT 'run_queue', 0
        WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'run_queue');
        UPDATE sqlite_sequence SET seq = max(seq,
            coalesce((SELECT max(id) FROM jobs), 0),
            coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0),
            coalesce((SELECT max(id) FROM run_history), 0))
        WHERE name = 'run_queue';
        """

    /// Statements that rebuild a run table under the same name, rows and ids kept, without the foreign key to `jobs`
    /// (the caller creates its indexes again).
    private static func rebuiltWithoutJobKey(_ table: String, autoincrement: Bool) -> String {
        """
        CREATE TABLE \(table)_v10 (
            id INTEGER PRIMARY KEY\(autoincrement ? " AUTOINCREMENT" : ""),
            job_id INTEGER NOT NULL,
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
        INSERT INTO \(table)_v10 SELECT * FROM \(table);
        \(autoincrement ? """
            DELETE FROM sqlite_sequence WHERE name = '\(table)_v10';
            INSERT INTO sqlite_sequence (name, seq) SELECT '\(table)_v10', seq FROM sqlite_sequence WHERE name = '\(table)';
            """ : "")
        DROP TABLE \(table);
        ALTER TABLE \(table)_v10 RENAME TO \(table);
        """
    }
}
