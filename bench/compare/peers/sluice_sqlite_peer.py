"""Sluice on SQLite (its embedded default) as a peer of bench/compare: see sluice_common.py and ../PROTOCOL.md."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sluice_common import WORKER_SETTINGS, main, remaining  # noqa: E402,F401

NAME = "Sluice (SQLite)"
BACKEND = "sqlite"

if __name__ == "__main__":
    path = os.environ["COMPARE_SQLITE_PATH"]
    main(path, ["DELETE FROM run_logs", "DELETE FROM run_queue", "DELETE FROM run_history", "DELETE FROM jobs"], lambda: sqlite3.connect(path))
