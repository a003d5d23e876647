"""Sluice as a peer of bench/compare (see PROTOCOL.md), shared by the SQLite and PostgreSQL modules.

Sluice is used as its users run it: the release `sluice` binary migrates the database and runs real `sluice worker`
processes (`--probe-job-types` adds `probe_sleep`, a job type that sleeps `sleep_ms` and, given a ledger, appends
`start`/`end` lines to it); jobs are enqueued through the store API by `sluice-bench peer`, the way an application
linking Sluice enqueues (batches of 1 000 with `insertJobs`, or one `insertJob` at a time).
"""

import os
import subprocess
import sys

#: Worker concurrency per kind: no-op throughput wants many handlers in flight (claims and completions are batched
#: per round trip); the crash case uses 20 like every peer; latency uses the default.
CONCURRENCY = {"noop": 1000, "sleep50": 20, "latency": 10}

WORKER_SETTINGS = (
    "sluice worker --concurrency 1000 for no-op (20 for the crash case, 10 for latency); default lease 10 s, "
    "heartbeat 1 s, rescuer every 1 s; wake-ups by LISTEN/NOTIFY on PostgreSQL and by a watch on the write-ahead "
    "log on SQLite (WAL, synchronous=NORMAL), polling as the fallback; enqueue with insertJobs in batches of 1 000; "
    "on PostgreSQL every commit waits for the WAL flush, claims and heartbeats included (an attempt number, the "
    "handlers' fencing token, must not repeat after a crash)"
)

UNFINISHED = "SELECT count(*) FROM run_queue"


def remaining(conn):
    """Runs not finished yet."""
    cursor = conn.cursor()
    cursor.execute(UNFINISHED)
    return cursor.fetchone()[0]


def main(location, reset_statements, connect):
    """Runs one protocol command against the database at `location` (a SQLite path or a PostgreSQL URL)."""
    sluice = os.environ["COMPARE_SLUICE_BIN"]
    bench = os.environ["COMPARE_SLUICE_BENCH_BIN"]
    ledger = os.environ.get("COMPARE_LEDGER", "")
    command, options = sys.argv[1], _options(sys.argv[2:])
    if command == "setup":
        subprocess.run([sluice, "migrate", "--database", location], check=True, stdout=subprocess.DEVNULL)
    elif command == "reset":
        conn = connect()
        for statement in reset_statements:
            conn.execute(statement)
        conn.commit()
        conn.close()
    elif command == "enqueue":
        sleep = ["--sleep-ms", "50", "--ledger", ledger] if options.get("kind") == "sleep50" else []
        subprocess.run(
            [bench, "peer", "enqueue", "--database", location, "--count", options["count"]] + sleep, check=True)
    elif command == "spaced":
        subprocess.run(
            [bench, "peer", "spaced", "--database", location, "--count", options["count"],
             "--spacing-ms", options.get("spacing-ms", "20"), "--ledger", ledger], check=True)
    elif command == "worker":
        kind = options.get("kind", "noop")
        concurrency = options.get("concurrency", str(CONCURRENCY[kind]))
        os.execv(sluice, [sluice, "worker", "--probe-job-types", "--database", location,
                          "--concurrency", concurrency, "--log-level", "error"])
    else:
        sys.exit(f"unknown command {command}")


def _options(arguments):
    """`--name value` pairs as a dict."""
    return {arguments[i][2:]: arguments[i + 1] for i in range(0, len(arguments) - 1, 2)}
