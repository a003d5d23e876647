"""Sluice on PostgreSQL as a peer of bench/compare: see sluice_common.py and ../PROTOCOL.md."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sluice_common import WORKER_SETTINGS, main, remaining  # noqa: E402,F401

NAME = "Sluice (PostgreSQL)"
BACKEND = "postgres"

if __name__ == "__main__":
    import psycopg

    dsn = os.environ["COMPARE_PG_DSN"]
    main(dsn, ["TRUNCATE run_logs, run_queue, run_history, jobs CASCADE"], lambda: psycopg.connect(dsn))
