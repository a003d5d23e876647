import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations of single statements. The numbers match the SQLite backend's.
enum PostgresMigrations {
    /// Every migration, in order.
    static let all: [(version: Int, statements: [String])] = [
        (1, schemaV1), (2, schemaV2), (3, schemaV3), (4, schemaV4), (5, schemaV5), (6, schemaV6), (7, schemaV7),
        (8, schemaV8), (9, schemaV9), (10, schemaV10), (11, schemaV11),
    ]

    /// Applies pending migrations up to `last` in one transaction, serialized across processes by an advisory lock.
    static func apply(on client: PostgresClient, logger: Logger, through last: Int = .max) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // A migration may rewrite a large table: the session's statement timeout does not apply to it.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('sluice.migrate'))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<Int> = []
            for try await version in try await connection.query(
                "SELECT version FROM schema_migrations", logger: logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            for migration in all where !applied.contains(migration.version) && migration.version <= last {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }

    private static let schemaV1 = [
        """
        CREATE TABLE jobs (
            id BIGSERIAL PRIMARY KEY,
            brand_id UUID NOT NULL,
            job_type TEXT NOT NULL,
            parameters JSONB NOT NULL,
            schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('once', 'recurring')),
            run_at TIMESTAMPTZ,
            cron TEXT,
            timezone TEXT,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'cancelled', 'finished')),
            queue TEXT NOT NULL,
            priority BIGINT NOT NULL,
            unique_key TEXT,
            next_fire_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE UNIQUE INDEX jobs_unique_active ON jobs (unique_key)
            WHERE unique_key IS NOT NULL AND status IN ('active', 'paused')
        """,
        "CREATE INDEX jobs_brand ON jobs (brand_id, id)",
        "CREATE INDEX jobs_type ON jobs (job_type, id)",
        "CREATE INDEX jobs_next_fire ON jobs (next_fire_at) WHERE schedule_kind = 'recurring' AND status = 'active'",
        "CREATE INDEX jobs_parameters ON jobs USING GIN (parameters jsonb_path_ops)",
        """
        CREATE TABLE runs (
            id BIGSERIAL PRIMARY KEY,
            job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            brand_id UUID NOT NULL,
            job_type TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority BIGINT NOT NULL,
            parameters JSONB NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled', 'timed_out')),
            paused BOOLEAN NOT NULL DEFAULT false,
            attempt BIGINT NOT NULL DEFAULT 0,
            max_attempts BIGINT NOT NULL,
            scheduled_at TIMESTAMPTZ NOT NULL,
            fire_time TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL,
            started_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            worker_id TEXT,
            lease_expires_at TIMESTAMPTZ,
            cancel_requested BOOLEAN NOT NULL DEFAULT false,
            progress DOUBLE PRECISION,
            progress_message TEXT,
            error TEXT,
            result JSONB,
            rows_written BIGINT
        ) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 0)
        """,
        """
        CREATE INDEX runs_ready ON runs (queue, job_type, priority, scheduled_at, id)
            WHERE state IN ('queued', 'retrying') AND NOT paused
        """,
        """
        CREATE INDEX runs_due ON runs (queue, job_type, scheduled_at)
            WHERE state IN ('queued', 'retrying') AND NOT paused
        """,
        "CREATE INDEX runs_running ON runs (job_type) WHERE state = 'running'",
        "CREATE INDEX runs_job ON runs (job_id, id)",
        "CREATE INDEX runs_brand ON runs (brand_id, id)",
        "CREATE INDEX runs_type ON runs (job_type, id)",
        "CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL",
        "CREATE INDEX runs_parameters ON runs USING GIN (parameters jsonb_path_ops)",
        "CREATE UNIQUE INDEX runs_fire_time ON runs (job_id, fire_time) WHERE fire_time IS NOT NULL",
        """
        CREATE TABLE run_logs (
            id BIGSERIAL PRIMARY KEY,
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            attempt BIGINT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL
        )
        """,
        "CREATE INDEX run_logs_run ON run_logs (run_id, id)",
        """
        CREATE TABLE dataset_refreshes (
            brand_id UUID NOT NULL,
            dataset TEXT NOT NULL,
            last_attempt_at TIMESTAMPTZ,
            last_success_at TIMESTAMPTZ,
            last_failure_at TIMESTAMPTZ,
            last_error TEXT,
            rows_written BIGINT,
            last_run_id BIGINT,
            PRIMARY KEY (brand_id, dataset)
        )
        """,
        """
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid BIGINT NOT NULL,
            queues TEXT[] NOT NULL,
            concurrency BIGINT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE leader_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]
}
