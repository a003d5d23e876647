-- Raw PostgreSQL queue ceiling: the table the pgbench scripts single.sql and batched.sql claim from and complete.
-- state: 0 queued, 1 running, 2 done. compare.py runs this, then fills the table.
DROP TABLE IF EXISTS raw_queue;
CREATE TABLE raw_queue (id bigserial PRIMARY KEY, state smallint NOT NULL DEFAULT 0, payload jsonb);
CREATE INDEX raw_queue_queued ON raw_queue (id) WHERE state = 0;
