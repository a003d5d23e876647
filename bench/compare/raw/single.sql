-- One job per cycle: claim the oldest queued row, then complete it; each statement is its own transaction.
WITH c AS (SELECT id FROM raw_queue WHERE state = 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE raw_queue q SET state = 1 FROM c WHERE q.id = c.id RETURNING q.id \gset
UPDATE raw_queue SET state = 2 WHERE id = :id;
