"""PgQueuer 1.6.0 peer for bench/compare; the contract is bench/compare/PROTOCOL.md.

    COMPARE_PG_DSN=postgresql://... COMPARE_LEDGER=ledger.txt \\
        python peers/pgqueuer_peer.py setup | reset | enqueue | spaced | worker [options]

The orchestrator imports NAME, BACKEND, WORKER_SETTINGS and remaining().

Settings, each taken from PgQueuer's docs (docs/... in the janbjorge/pgqueuer repository) or its
installed source (pgqueuer/...):
- asyncpg, one connection per process, on uvloop. The docs measure asyncpg at about
  1.7x the throughput of psycopg (docs/comparisons/benchmarks.md) and advise a direct
  asyncpg connection, not a pool, for the consumer (docs/guides/performance-tuning.md);
  `pgq run` tries asyncpg first and runs on uvloop (pgqueuer/adapters/cli/cli.py). The
  worker is started with pgqueuer.run(), the library form of `pgq run`, which stops
  cleanly on SIGTERM.
- batch_size=1000: jobs claimed per dequeue round trip, and also the size at which
  finished jobs are flushed to the log. The tuning guide says to raise it from the
  default 10 for short jobs (docs/guides/performance-tuning.md) but names no value. In
  a small sweep (3 000-6 000 noop jobs, one worker, loaded 2-core machine) 10 drained
  ~1.4k jobs/s, 25 ~3k/s, 100 ~6.5k/s and 500-1000 ~8-11k/s; larger batches were not
  clearly faster through the noise and let one worker claim much of the queue ahead.
- No cap on concurrent jobs (max_concurrent_tasks=None, PgQueuer's default) unless
  --concurrency C is given: then max_concurrent_tasks=C, and batch_size is lowered to
  C // 2 if needed, because PgQueuer requires max_concurrent_tasks >= 2 * batch_size.
- Crash recovery: heartbeat_timeout=10 s, to match Sluice's 10 s lease. A running job's
  heartbeat is refreshed every heartbeat_timeout / 2, and any dequeue re-claims 'picked'
  jobs whose heartbeat is older than that (pgqueuer/core/qm.py and the next_stale CTE in
  pgqueuer/adapters/persistence/qb.py). An idle worker only dequeues on NOTIFY or after
  dequeue_timeout, so dequeue_timeout is 10 s as well (the value in the tuning guide's
  example) instead of the default 30 s.
- setup runs `pgq install` and `pgq autovac` (the tuning guide's checklist); table
  durability stays at the default, `durable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pgqueuer
import uvloop
from pgqueuer import PgQueuer, Queries
from pgqueuer.models import Job

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol  # noqa: E402
from protocol import ledger  # noqa: E402

NAME = "PgQueuer 1.6.0"
BACKEND = "postgres"

BATCH_SIZE = 1000
HEARTBEAT_TIMEOUT = timedelta(seconds=10)
DEQUEUE_TIMEOUT = timedelta(seconds=10)

WORKER_SETTINGS = (
    f"asyncpg driver, one connection, uvloop; batch_size={BATCH_SIZE}; "
    "max_concurrent_tasks unlimited, or --concurrency C (batch_size then at most C/2); "
    f"heartbeat_timeout={HEARTBEAT_TIMEOUT.seconds} s re-claims a killed worker's jobs; "
    f"dequeue_timeout={DEQUEUE_TIMEOUT.seconds} s; `pgq autovac` applied, tables durable"
)


def remaining(conn) -> int:
    """Jobs still queued or picked; finished ones leave the `pgqueuer` table."""
    return conn.execute(
        "SELECT count(*) FROM pgqueuer WHERE status IN ('queued', 'picked')"
    ).fetchone()[0]


async def noop(job: Job) -> None:
    pass


async def sleep50(job: Job) -> None:
    key = job.payload.decode()
    ledger("start", key)
    await asyncio.sleep(0.05)
    ledger("end", key)


async def latency(job: Job) -> None:
    ledger("start", job.payload.decode())


HANDLERS = {"noop": noop, "sleep50": sleep50, "latency": latency}


@contextlib.asynccontextmanager
async def queries() -> AsyncIterator[Queries]:
    connection = await asyncpg.connect(os.environ["COMPARE_PG_DSN"])
    try:
        yield Queries.from_asyncpg_connection(connection)
    finally:
        await connection.close()


async def setup() -> None:
    async with queries() as q:
        if not await q.schema_is_installed():
            await q.install()
        await q.optimize_autovacuum()


async def reset() -> None:
    async with queries() as q:
        await q.clear_queue()
        await q.clear_queue_log()
        await q.clear_statistics_log()


async def enqueue(count: int, kind: str) -> None:
    payloads = [f"S{i}".encode() for i in range(count)] if kind == "sleep50" else [None] * count
    async with queries() as q:
        start = time.perf_counter()
        await q.enqueue([kind] * count, payloads, [0] * count)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds}))


async def spaced(count: int, spacing_ms: float) -> None:
    async with queries() as q:
        start = time.monotonic()
        for i in range(count):
            await asyncio.sleep(max(0.0, start + i * spacing_ms / 1000 - time.monotonic()))
            key = f"L{i}"
            ns = time.monotonic_ns()
            await q.enqueue("latency", key.encode())
            ledger("enqueued", key, ns)


async def worker(kind: str, concurrency: int | None) -> None:
    @contextlib.asynccontextmanager
    async def factory() -> AsyncIterator[PgQueuer]:
        connection = await asyncpg.connect(os.environ["COMPARE_PG_DSN"])
        try:
            pgq = PgQueuer.from_asyncpg_connection(connection)
            pgq.entrypoint(kind)(HANDLERS[kind])
            yield pgq
        finally:
            await connection.close()

    await pgqueuer.run(
        factory,
        batch_size=min(BATCH_SIZE, concurrency // 2) if concurrency else BATCH_SIZE,
        max_concurrent_tasks=concurrency,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        dequeue_timeout=DEQUEUE_TIMEOUT,
    )


def main() -> None:
    args = protocol.arguments(__doc__.splitlines()[0], HANDLERS)

    if args.command == "setup":
        uvloop.run(setup())
    elif args.command == "reset":
        uvloop.run(reset())
    elif args.command == "enqueue":
        uvloop.run(enqueue(args.count, args.kind))
    elif args.command == "spaced":
        uvloop.run(spaced(args.count, args.spacing_ms))
    else:
        uvloop.run(worker(args.kind, args.concurrency))


if __name__ == "__main__":
    main()
