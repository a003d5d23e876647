"""procrastinate 3.10.0 peer for bench/compare; the contract is bench/compare/PROTOCOL.md.

    COMPARE_PG_DSN=postgresql://... COMPARE_LEDGER=ledger.txt \\
        python peers/procrastinate_peer.py setup | reset | enqueue | spaced | worker [options]

The orchestrator imports NAME, BACKEND, WORKER_SETTINGS and remaining().

Settings, each taken from procrastinate's docs (docs/... in the procrastinate-org/procrastinate
repository) or its installed source (procrastinate/...):
- PsycopgConnector (psycopg 3, async pool), LISTEN/NOTIFY on (the default) with the
  default 5 s fetch_job_polling_interval as fallback ("can reasonably be set to a
  higher value" when listening, App.run_worker_async docstring).
- concurrency=30 sub-workers (the value in docs/howto/concurrency.md), or --concurrency C.
  Pool size = concurrency + 1: "the shorter your average job execution time, the more your
  pool will need to contain as many connections as your concurrency (plus one)"
  (docs/discussions.md, "Mind the size of your PostgreSQL pool").
- Enqueue uses Task.batch_defer_async, one call for all jobs (docs/howto/basics/batch_defer.md).
- Crash recovery is the recipe of docs/howto/production/retry_stalled_jobs.md: a periodic
  task calls JobManager.get_stalled_jobs() and retry_job() on each result. A job is stalled
  when it is 'doing' for a worker whose heartbeat is older than seconds_since_heartbeat.
  That is 10 s here to match Sluice's 10 s lease (default 30 s), with the worker's
  update_heartbeat_interval and stalled_worker_timeout scaled from their 10 s / 30 s
  defaults to 10/3 s and 10 s, as that page says to adjust them together. The task runs
  every second (cron seconds column) instead of every 10 minutes, and with a high
  priority so it does not wait behind a backlog; its jobs are left out of remaining().
- Finished jobs are kept (delete_jobs="never", the default).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator

import procrastinate

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol  # noqa: E402
from protocol import ledger  # noqa: E402

NAME = "procrastinate 3.10.0"
BACKEND = "postgres"

CONCURRENCY = 30
STALL_SECONDS = 10
RETRY_TASK = "retry_stalled_jobs"
RETRY_CRON = "* * * * * *"  # every second: the 6th column is seconds
RETRY_PRIORITY = 100

WORKER_SETTINGS = (
    f"PsycopgConnector, pool = concurrency + 1; concurrency={CONCURRENCY} or --concurrency C; "
    "listen_notify on, fetch_job_polling_interval 5 s (defaults); "
    f"stalled jobs (worker heartbeat older than {STALL_SECONDS} s, heartbeat every "
    f"{STALL_SECONDS / 3:.1f} s) retried by the documented periodic task, "
    f"run every 1 s at priority {RETRY_PRIORITY}"
)

# Run as a script, procrastinate warns that the app lives in __main__; that only matters when
# tasks live in another module (docs/discussions.md, "top-level-app"), and here they do not.
logging.getLogger("procrastinate.blueprints").setLevel(logging.ERROR)
app = procrastinate.App(connector=procrastinate.PsycopgConnector())


def remaining(conn) -> int:
    """Benchmark jobs still todo or doing (the stalled-job retry task's own jobs excluded)."""
    return conn.execute(
        "SELECT count(*) FROM procrastinate_jobs"
        " WHERE status IN ('todo', 'doing') AND task_name <> %s",
        (RETRY_TASK,),
    ).fetchone()[0]



@app.task(name="noop")
async def noop() -> None:
    pass


@app.task(name="sleep50")
async def sleep50(key: str) -> None:
    ledger("start", key)
    await asyncio.sleep(0.05)
    ledger("end", key)


@app.task(name="latency")
async def latency(key: str) -> None:
    ledger("start", key)


@app.periodic(cron=RETRY_CRON)
@app.task(name=RETRY_TASK, queueing_lock=RETRY_TASK, priority=RETRY_PRIORITY)
async def retry_stalled_jobs(timestamp: int) -> None:
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALL_SECONDS):
        await app.job_manager.retry_job(job)


@contextlib.asynccontextmanager
async def opened(**pool_args: int) -> AsyncIterator[None]:
    """`app` connected to COMPARE_PG_DSN, with psycopg_pool arguments `pool_args`."""
    connector = procrastinate.PsycopgConnector(conninfo=os.environ["COMPARE_PG_DSN"], **pool_args)
    with app.replace_connector(connector):
        async with app.open_async():
            yield


async def setup() -> None:
    async with opened():
        row = await app.connector.execute_query_one_async(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS installed"
        )
        if not row["installed"]:
            await app.schema_manager.apply_schema_async()


async def reset() -> None:
    async with opened():
        await app.connector.execute_query_async("TRUNCATE procrastinate_jobs CASCADE")


async def enqueue(count: int, kind: str) -> None:
    if kind == "sleep50":
        task, args = sleep50, [{"key": f"S{i}"} for i in range(count)]
    else:
        task, args = noop, [{}] * count
    async with opened():
        start = time.perf_counter()
        await task.batch_defer_async(*args)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds}))


async def spaced(count: int, spacing_ms: float) -> None:
    async with opened():
        start = time.monotonic()
        for i in range(count):
            await asyncio.sleep(max(0.0, start + i * spacing_ms / 1000 - time.monotonic()))
            key = f"L{i}"
            ns = time.monotonic_ns()
            await latency.defer_async(key=key)
            ledger("enqueued", key, ns)


async def worker(concurrency: int) -> None:
    async with opened(min_size=concurrency + 1, max_size=concurrency + 1):
        await app.run_worker_async(
            concurrency=concurrency,
            update_heartbeat_interval=STALL_SECONDS / 3,
            stalled_worker_timeout=STALL_SECONDS,
        )


def main() -> None:
    # Every task is registered and the settings are the same for each kind.
    args = protocol.arguments(
        __doc__.splitlines()[0], ["noop", "sleep50", "latency"], default_concurrency=CONCURRENCY
    )

    if args.command == "setup":
        asyncio.run(setup())
    elif args.command == "reset":
        asyncio.run(reset())
    elif args.command == "enqueue":
        asyncio.run(enqueue(args.count, args.kind))
    elif args.command == "spaced":
        asyncio.run(spaced(args.count, args.spacing_ms))
    else:
        asyncio.run(worker(args.concurrency))


if __name__ == "__main__":
    main()
