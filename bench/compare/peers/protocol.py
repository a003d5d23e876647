"""What the Python peer modules share: the protocol's command line and its ledger (see ../PROTOCOL.md)."""

import argparse
import functools
import os
import time


def arguments(description, worker_kinds, default_concurrency=None):
    """The command line: `setup`, `reset`, `enqueue --count N --kind K`, `spaced --count N --spacing-ms M`,
    `worker --kind K [--concurrency C]`."""
    parser = argparse.ArgumentParser(description=description)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup")
    commands.add_parser("reset")
    enqueue = commands.add_parser("enqueue")
    enqueue.add_argument("--count", type=int, required=True)
    enqueue.add_argument("--kind", choices=["noop", "sleep50"], required=True)
    spaced = commands.add_parser("spaced")
    spaced.add_argument("--count", type=int, required=True)
    spaced.add_argument("--spacing-ms", type=float, required=True)
    worker = commands.add_parser("worker")
    worker.add_argument("--kind", choices=sorted(worker_kinds), required=True)
    worker.add_argument("--concurrency", type=int, default=default_concurrency)
    return parser.parse_args()


@functools.cache
def _ledger_descriptor():
    return os.open(os.environ["COMPARE_LEDGER"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def ledger(event, key, ns=None):
    """Appends `event key ns` to the ledger with one write on an O_APPEND descriptor (`ns`: now by default)."""
    os.write(_ledger_descriptor(), f"{event} {key} {time.monotonic_ns() if ns is None else ns}\n".encode())
