import GRDB

/// The SQLite schema, as numbered migrations. The numbers match the PostgreSQL backend's.
enum SQLiteMigrations {
    /// Every migration, in order.
    static let all: [(version: Int, sql: String)] = [
        (1, schemaV1), (2, schemaV2), (3, schemaV3), (4, schemaV4), (5, schemaV5), (6, schemaV6), (7, schemaV7),
        (8, schemaV8), (9, schemaV9), (10, schemaV10), (11, schemaV11),
    ]

    /// Applies the migrations up to `last` not yet recorded in `schema_migrations`, in one immediate transaction.
    static func apply(to pool: DatabasePool, through last: Int = .max) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(
                    sql:
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER)"
                )
                let applied = Set(try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations"))
                for migration in all where !applied.contains(migration.version) && migration.version <= last {
                    try db.execute(sql: migration.sql)
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (version, applied_at) VALUES (?, unixepoch())",
                        arguments: [migration.version])
                }
                return .commit
            }
        }
    }

    private static let schemaV1 = """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            brand_id TEXT NOT NULL,
            job_type TEXT NOT NULL,
            parameters TEXT NOT NULL,
            schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('once', 'recurring')),
            run_at INTEGER,
            cron TEXT,
            timezone TEXT,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'cancelled', 'finished')),
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL,
            unique_key TEXT,
            next_fire_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX jobs_unique_active ON jobs (unique_key)
            WHERE unique_key IS NOT NULL AND status IN ('active', 'paused');
        CREATE INDEX jobs_brand ON jobs (brand_id, id);
        CREATE INDEX jobs_type ON jobs (job_type, id);
        CREATE INDEX jobs_next_fire ON jobs (next_fire_at) WHERE schedule_kind = 'recurring' AND status = 'active';

        CREATE TABLE runs (
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
        CREATE INDEX runs_ready ON runs (queue, job_type, priority, scheduled_at, id)
            WHERE state IN ('queued', 'retrying') AND paused = 0;
        CREATE INDEX runs_due ON runs (queue, job_type, scheduled_at)
            WHERE state IN ('queued', 'retrying') AND paused = 0;
        CREATE INDEX runs_running ON runs (job_type) WHERE state = 'running';
        CREATE INDEX runs_job ON runs (job_id, id);
        CREATE INDEX runs_brand ON runs (brand_id, id);
        CREATE INDEX runs_type ON runs (job_type, id);
        CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;
        CREATE INDEX runs_competitor ON runs (json_extract(parameters, '$.competitor_id'), id)
            WHERE json_extract(parameters, '$.competitor_id') IS NOT NULL;
        CREATE UNIQUE INDEX runs_fire_time ON runs (job_id, fire_time) WHERE fire_time IS NOT NULL;

        CREATE TABLE run_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            at INTEGER NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL
        );
        CREATE INDEX run_logs_run ON run_logs (run_id, id);

        CREATE TABLE dataset_refreshes (
            brand_id TEXT NOT NULL,
            dataset TEXT NOT NULL,
            last_attempt_at INTEGER,
            last_success_at INTEGER,
            last_failure_at INTEGER,
            last_error TEXT,
            rows_written INTEGER,
            last_run_id INTEGER,
            PRIMARY KEY (brand_id, dataset)
        );

        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            queues TEXT NOT NULL,
            concurrency INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );

        CREATE TABLE leader_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """
}
