extension PostgresMigrations {
    /// Migration 2: the pipeline layer (dataset settings and history, rate limiters, alert webhooks).
    static let schemaV2 = [
        """
        CREATE TABLE dataset_overrides (
            brand_id UUID NOT NULL,
            dataset TEXT NOT NULL,
            policy TEXT,
            auto_refresh BOOLEAN,
            parameters TEXT,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (brand_id, dataset)
        )
        """,
        """
        CREATE TABLE dataset_history (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            brand_id UUID NOT NULL,
            dataset TEXT NOT NULL,
            run_id BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            rows_written BIGINT,
            error TEXT,
            finished_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX dataset_history_lookup ON dataset_history (brand_id, dataset, id)",
        """
        CREATE TABLE rate_limiters (
            name TEXT PRIMARY KEY,
            rate_per_second DOUBLE PRECISION NOT NULL,
            burst INTEGER NOT NULL,
            tokens DOUBLE PRECISION NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            last_granted BOOLEAN NOT NULL DEFAULT false
        )
        """,
        """
        CREATE TABLE webhooks (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            brand_id UUID,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            kinds TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE webhook_deliveries (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
            event_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TIMESTAMPTZ,
            last_status INTEGER,
            last_error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ,
            UNIQUE (webhook_id, event_key)
        )
        """,
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'",
        "CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id)",
    ]
}
