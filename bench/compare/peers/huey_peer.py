"""huey with its SQLite storage (`SqliteHuey`) as a bench/compare peer; see ../PROTOCOL.md.

Batch enqueue is `TaskWrapper.map(iterable)`, huey's documented way to enqueue many calls of one task
(docs/api.rst, `map(it)`). huey has no bulk insert: `map` calls `Huey.enqueue` once per item, and
`SqliteStorage.enqueue` (huey/storage.py) is one `INSERT` in its own `BEGIN EXCLUSIVE` transaction.

The worker is huey's own `Consumer` (what `huey_consumer` runs), in this process.
"""

import json
import logging
import os
import sys
import time

import huey
from huey import SqliteHuey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import protocol  # noqa: E402
from protocol import ledger  # noqa: E402

NAME = f"huey {huey.__version__} (SqliteHuey)"
BACKEND = "sqlite"

# Worker threads per kind when `--concurrency` is not given. 8 is the docs' example (docs/consumer.rst: "8 threads
# ... and a very short polling interval", `-w 8 -b 1.05 -m 1.0`). Measured on the 2-core machine with no-op jobs: while
# commits were slow (a build running), 8 threads were the fastest of 1/2/4/8/16/32/64 (about 2 000 jobs/s, 1 thread
# about 330); with fast commits 1 thread was about 25 % faster than 8 (3 150 and 2 500). 8 also polls the idle queue
# 8 times as often (latency p50 4-6 ms against 7-11 ms with 1). 20 for sleep50 is the protocol's.
DEFAULT_WORKERS = {"noop": 8, "sleep50": 20, "latency": 8}

# Polling of the task table (huey_consumer's `-d`, `-b`, `-m`): the docs' example above, with a 10 ms initial delay
# instead of the default 100 ms.
POLL = {"initial_delay": 0.01, "backoff": 1.05, "max_delay": 1.0}

WORKER_SETTINGS = (
    "huey Consumer in the worker process, worker_type=thread (huey's default, documented as the choice for anything "
    "not CPU-heavy; greenlets need gevent); worker threads: noop 8, sleep50 20, latency 8 (or --concurrency); "
    f"polling delay {POLL['initial_delay']} s, backoff {POLL['backoff']}, max {POLL['max_delay']} s; periodic tasks "
    "off (-n); log level WARNING (-q); SqliteStorage defaults: WAL, synchronous left at SQLite's default (FULL), one "
    "INSERT transaction per enqueued task; no crash recovery: SqliteStorage.dequeue deletes the task row before the "
    "task runs, so tasks running in a killed consumer are lost; remaining() cannot see tasks being run"
)



def remaining(conn):
    """Tasks queued or scheduled (huey keeps no row for a task being run: it is deleted when taken)."""
    return conn.execute("SELECT (SELECT count(*) FROM task) + (SELECT count(*) FROM schedule)").fetchone()[0]


def build():
    """The huey instance on COMPARE_SQLITE_PATH (tables created if missing) and its tasks by kind."""
    queue = SqliteHuey("compare", filename=os.environ["COMPARE_SQLITE_PATH"])

    @queue.task(name="noop")
    def noop():
        pass

    @queue.task(name="sleep50")
    def sleep50(key):
        ledger("start", key)
        time.sleep(0.05)
        ledger("end", key)

    @queue.task(name="latency")
    def latency(key):
        ledger("start", key)

    return queue, {"noop": noop, "sleep50": sleep50, "latency": latency}


def enqueue(tasks, count, kind):
    """Enqueue `count` jobs with `map`; return the seconds the enqueue took."""
    items = [()] * count if kind == "noop" else [f"S{i}" for i in range(count)]
    started = time.perf_counter()
    tasks[kind].map(items)
    return time.perf_counter() - started


def spaced(tasks, count, spacing_ms):
    """Enqueue `count` latency jobs one at a time, `spacing_ms` apart, logging each enqueue call's start."""
    started = time.monotonic()
    for index in range(count):
        delay = started + index * spacing_ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        key = f"L{index}"
        ns = time.monotonic_ns()
        tasks["latency"](key)
        ledger("enqueued", key, ns)


def work(queue, kind, concurrency):
    """Run huey's consumer until SIGTERM (huey's interrupt signal) or SIGKILL."""
    logger = logging.getLogger("huey")
    logger.addHandler(logging.StreamHandler())
    logger.setLevel(logging.WARNING)
    workers = concurrency or DEFAULT_WORKERS[kind]
    queue.create_consumer(workers=workers, worker_type="thread", periodic=False, **POLL).run()


def main() -> None:
    args = protocol.arguments(__doc__.splitlines()[0], DEFAULT_WORKERS)

    queue, tasks = build()
    if args.command == "reset":
        queue.flush()
    elif args.command == "enqueue":
        print(json.dumps({"seconds": enqueue(tasks, args.count, args.kind)}), flush=True)
    elif args.command == "spaced":
        spaced(tasks, args.count, args.spacing_ms)
    elif args.command == "worker":
        work(queue, args.kind, args.concurrency)


if __name__ == "__main__":
    main()
