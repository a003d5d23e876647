-- 100 jobs per cycle: claim the 100 oldest queued rows in one statement, then complete them in one statement.
-- The ids travel as an array literal ('{1,2,...}'), a parameter under pgbench -M prepared.
WITH c AS (SELECT id FROM raw_queue WHERE state = 0 ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED),
u AS (UPDATE raw_queue q SET state = 1 FROM c WHERE q.id = c.id RETURNING q.id)
SELECT array_agg(id)::text AS ids FROM u \gset
UPDATE raw_queue SET state = 2 WHERE id = ANY(:ids::bigint[]);
