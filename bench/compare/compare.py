"""Run the bench/compare workloads (see PROTOCOL.md) on each peer and write a Markdown report and JSON.

    python compare.py --pg-dsn-base postgresql://postgres@127.0.0.1:PORT --work DIR --out FILE.md --json FILE.json \
        [--peers sluice-sqlite,sluice-postgres,pgqueuer,procrastinate,huey] [--jobs 20000]

A peer named `a-b` is the module peers/a_b_peer.py, on the backend its BACKEND names. Each postgres peer gets its own
new database (`compare_<peer>`), each sqlite peer its own file in DIR. Every subprocess runs in its own process
group and is killed on every exit path; every wait has a deadline, and a missed deadline is reported as the result.

Raw ceilings: pgbench (raw/single.sql, raw/batched.sql, 2 clients) on a table `raw_queue` in database `compare_raw`,
and, when COMPARE_SLUICE_BENCH_BIN is set, `sluice-bench raw-sqlite`.
"""

import argparse
import contextlib
import datetime
import importlib.util
import json
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ALL_PEERS = ["sluice-sqlite", "sluice-postgres", "pgqueuer", "procrastinate", "huey"]
STOP_GRACE = 10  # seconds a worker gets after SIGTERM before SIGKILL


class Failed(Exception):
    """A workload step failed; the message is the result shown in the report."""


class Processes:
    """Every subprocess started, each in its own process group, so that all can be killed on any exit path."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = []

    def start(self, argv, env, name):
        """Start `argv` with stdout and stderr to log files named after `name`."""
        with open(self.log_dir / f"{name}.out", "wb") as out, open(self.log_dir / f"{name}.err", "wb") as err:
            proc = subprocess.Popen(argv, env=env, cwd=HERE, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)
        proc.log_name = name
        self.running.append(proc)
        return proc

    def run(self, argv, env, name, timeout):
        """Run `argv` to completion within `timeout` seconds; return its stdout."""
        proc = self.start(argv, env, name)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill(proc)
            raise Failed(f"{name}: did not finish in {timeout:g} s")
        self.running.remove(proc)
        if proc.returncode != 0:
            raise Failed(f"{name}: exit code {proc.returncode}: {self.tail(proc)}")
        return (self.log_dir / f"{name}.out").read_text()

    def tail(self, proc):
        """The last line of a process's stderr (usually the exception), for error messages."""
        lines = (self.log_dir / f"{proc.log_name}.err").read_text(errors="replace").strip().splitlines()
        return (lines[-1][:300] if lines else "no output") + f" (see logs/{proc.log_name}.err)"

    def kill(self, proc):
        """SIGKILL the process group and reap the process."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        if proc in self.running:
            self.running.remove(proc)

    def stop(self, proc):
        """SIGTERM the process group, then SIGKILL it if the process has not exited after STOP_GRACE seconds."""
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(STOP_GRACE)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.kill(proc)

    def kill_all(self):
        for proc in list(self.running):
            self.kill(proc)


class Peer:
    """One system under test: its module, backend, database and commands."""

    def __init__(self, spec, args, procs):
        module_name = spec.replace("-", "_") + "_peer"
        path = HERE / "peers" / f"{module_name}.py"
        if not path.exists():
            raise Failed(f"{path.relative_to(HERE)} does not exist")
        loader = importlib.util.spec_from_file_location(module_name, path)
        self.module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(self.module)
        self.spec, self.path, self.procs, self.args = spec, path, procs, args
        self.backend, self.name = self.module.BACKEND, self.module.NAME
        self.env = {k: v for k, v in os.environ.items() if k not in ("COMPARE_PG_DSN", "COMPARE_SQLITE_PATH")}
        self.env["PYTHONUNBUFFERED"] = "1"
        self.steps = 0
        if self.backend == "postgres":
            if not args.pg_dsn_base:
                raise Failed("needs --pg-dsn-base")
            database = "compare_" + spec.replace("-", "_")
            create_database(args.pg_dsn_base, database)
            self.env["COMPARE_PG_DSN"] = self.dsn = dsn_for(args.pg_dsn_base, database)
        else:
            self.sqlite_path = args.work / f"{spec}.db"
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            self.env["COMPARE_SQLITE_PATH"] = str(self.sqlite_path)
        self.ledger(None)

    def ledger(self, name):
        """Point COMPARE_LEDGER at a new, empty file `<peer>-<name>.ledger` (or a scratch one) and return its path."""
        path = self.args.work / f"{self.spec}-{name or 'scratch'}.ledger"
        path.unlink(missing_ok=True)
        self.env["COMPARE_LEDGER"] = str(path)
        return path

    def argv(self, *command):
        return [sys.executable, str(self.path), *map(str, command)]

    def log_name(self, command):
        self.steps += 1
        return f"{self.spec}-{self.steps:02d}-{command}"

    def run(self, *command, timeout=None):
        """Run a peer command to completion; return its stdout."""
        return self.procs.run(self.argv(*command), self.env, self.log_name(command[0]), timeout or self.args.deadline)

    def worker(self, kind, concurrency=None):
        """Start a worker process."""
        extra = ["--concurrency", concurrency] if concurrency else []
        return self.procs.start(self.argv("worker", "--kind", kind, *extra), self.env, self.log_name(f"worker-{kind}"))

    def connect(self):
        """An autocommit connection to the peer's database, for remaining()."""
        if self.backend == "postgres":
            return psycopg.connect(self.dsn, autocommit=True)
        return sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None)

    def remaining(self, conn):
        return self.module.remaining(conn)

    def check_alive(self, workers):
        for proc in workers:
            if proc.poll() is not None:
                raise Failed(f"worker exited with code {proc.returncode}: {self.procs.tail(proc)}")


def dsn_for(base, database):
    """`base` (a libpq URL) with its database replaced by `database`."""
    return urllib.parse.urlsplit(base)._replace(path="/" + database).geturl()


def create_database(base, database):
    """Drop and create `database` on the server of `base`."""
    with psycopg.connect(dsn_for(base, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')


def parse_ledger(path):
    """{event: {key: [ns, ...]}} from complete ledger lines (`event key ... ns`)."""
    events = {}
    if path.exists():
        for line in path.read_text().splitlines(keepends=True):
            fields = line.split()
            if line.endswith("\n") and len(fields) >= 3:
                events.setdefault(fields[0], {}).setdefault(fields[1], []).append(int(fields[-1]))
    return events


def last_json(stdout):
    lines = stdout.strip().splitlines()
    if not lines:
        raise Failed("printed nothing")
    return json.loads(lines[-1])


def attempt(results, key, step):
    """Store step()'s result (or its failure as {"error": ...}) under results[key]."""
    try:
        results[key] = step()
    except Failed as error:
        results[key] = {"error": str(error)}
    except Exception as error:  # a peer module's remaining() or a parse error: report it, go on with the next step
        results[key] = {"error": f"{type(error).__name__}: {error}"}


def enqueue(peer, count, kind):
    peer.run("reset")
    seconds = last_json(peer.run("enqueue", "--count", count, "--kind", kind))["seconds"]
    if peer.backend == "postgres":
        # Untimed, for every PostgreSQL peer alike: the statistics autovacuum would soon collect. With stale ones
        # (from a table of finished jobs emptied by reset) a planner may expect one queued row and pick a plan
        # that is quadratic in the queue (seen with procrastinate's fetch).
        with contextlib.closing(peer.connect()) as conn:
            conn.execute("ANALYZE")
            conn.commit()
    return {"jobs": count, "seconds": seconds, "jobs_per_second": count / seconds}


def burn_down(peer, processes, deadline):
    """Start `processes` noop workers on the queued jobs; jobs/s from the first poll that sees the count drop to the
    first that sees 0. `drops` counts the polls that saw a lower count: few means the peer reports completions in
    large batches and the figure is coarse."""
    with contextlib.closing(peer.connect()) as conn:
        queued = peer.remaining(conn)
        if queued == 0:
            raise Failed("remaining() is 0 after the enqueue")
        workers = [peer.worker("noop") for _ in range(processes)]
        try:
            started = time.monotonic()
            first, drops, last = None, 0, queued
            while True:
                polled = time.monotonic()
                left = peer.remaining(conn)
                if first is None and left < queued:
                    first = (polled, left)
                drops, last = drops + (left < last), left
                if left == 0:
                    break
                if polled - started > deadline:
                    raise Failed(f"did not finish in {deadline:g} s ({left} of {queued} left)")
                peer.check_alive(workers)
                time.sleep(max(0.0, 0.01 - (time.monotonic() - polled)))
        finally:
            for proc in workers:
                peer.procs.stop(proc)
    if first is None or polled == first[0]:
        raise Failed(f"remaining() fell from {queued} to 0 between two polls: completions are counted in large "
                     "batches; raise --jobs")
    seconds = polled - first[0]
    return {"queued": queued, "jobs": first[1], "seconds": seconds, "jobs_per_second": first[1] / seconds,
            "drops": drops}


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(peer, args):
    peer.run("reset")
    ledger = peer.ledger("latency")
    worker = peer.worker("latency")
    try:
        time.sleep(args.settle)
        peer.check_alive([worker])
        peer.run("spaced", "--count", args.latency_count, "--spacing-ms", args.latency_spacing_ms)
        deadline = time.monotonic() + args.latency_wait
        while True:
            events = parse_ledger(ledger)
            enqueued, started = events.get("enqueued", {}), events.get("start", {})
            if all(key in started for key in enqueued) or time.monotonic() > deadline:
                break
            peer.check_alive([worker])
            time.sleep(0.1)
    finally:
        peer.procs.stop(worker)
    if len(enqueued) != args.latency_count:
        raise Failed(f"ledger has {len(enqueued)} of {args.latency_count} enqueued lines")
    ms = [(min(started[key]) - enqueued[key][0]) / 1e6 for key in enqueued if key in started]
    if not ms:
        raise Failed(f"no job started within {args.latency_wait:g} s")
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "started": len(ms), "not_started": len(enqueued) - len(ms)}


def crash(peer, args):
    """Kill a sleep50 worker (concurrency 20) with SIGKILL after `crash_after` s, start another at once, and wait
    until every job has ended, `crash_wait` s passed, or nothing is left to run (remaining() 0 and a quiet ledger)."""
    count = args.crash_jobs
    peer.run("reset")
    ledger = peer.ledger("crash")  # before the enqueue: a peer may name the ledger in the jobs' arguments
    peer.run("enqueue", "--count", count, "--kind", "sleep50")
    first = peer.worker("sleep50", args.crash_concurrency)
    time.sleep(args.crash_after)
    exited = first.poll()
    kill_ns = time.monotonic_ns()
    peer.procs.kill(first)
    if exited is not None:
        raise Failed(f"worker exited with code {exited} before the kill: {peer.procs.tail(first)}")
    second = peer.worker("sleep50", args.crash_concurrency)
    outcome = f"gave up after {args.crash_wait:g} s"
    try:
        with contextlib.closing(peer.connect()) as conn:
            deadline = time.monotonic() + args.crash_wait
            size, quiet_since = -1, time.monotonic()
            while time.monotonic() < deadline:
                ends = parse_ledger(ledger).get("end", {})
                if len(ends) >= count:
                    outcome = "all ended"
                    break
                if ledger.exists() and ledger.stat().st_size != size:
                    size, quiet_since = ledger.stat().st_size, time.monotonic()
                elif time.monotonic() - quiet_since > 2 and peer.remaining(conn) == 0:
                    outcome = "nothing left to run"
                    break
                peer.check_alive([second])
                time.sleep(0.05)
    finally:
        peer.procs.stop(second)
    events = parse_ledger(ledger)
    starts, ends = events.get("start", {}), events.get("end", {})
    in_flight = [key for key, ns in starts.items()
                 if min(ns) < kill_ns and not any(end < kill_ns for end in ends.get(key, []))]
    recovered = [key for key in in_flight if key in ends]
    result = {"jobs": count, "in_flight_at_kill": len(in_flight), "recovered": len(recovered),
              "lost": count - len(ends), "duplicated": sum(len(ns) >= 2 for ns in ends.values()),
              "outcome": outcome, "recovery_seconds": None}
    if in_flight and len(recovered) == len(in_flight):
        result["recovery_seconds"] = (max(min(ends[key]) for key in in_flight) - kill_ns) / 1e9
    return result


def measure_peer(spec, args, procs):
    """All workloads on one peer; failures become results."""
    results = {"spec": spec}
    print(f"== {spec}", flush=True)
    try:
        peer = Peer(spec, args, procs)
        peer.run("setup")
    except Exception as error:  # a missing or broken peer module, a failed setup: the other peers still run
        print(f"   not measured: {error}", flush=True)
        return results | {"error": str(error)}
    results |= {"name": peer.name, "backend": peer.backend, "settings": peer.module.WORKER_SETTINGS}
    if peer.backend == "sqlite":
        with contextlib.closing(peer.connect()) as conn:
            results["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
    attempt(results, "enqueue", lambda: enqueue(peer, args.jobs, "noop"))
    if "error" in results["enqueue"]:
        results["throughput_1"] = results["enqueue"]
    else:
        attempt(results, "throughput_1", lambda: burn_down(peer, 1, args.deadline))

    def fresh_burn_down():
        enqueue(peer, args.jobs, "noop")
        return burn_down(peer, 2, args.deadline)

    attempt(results, "throughput_2", fresh_burn_down)
    attempt(results, "latency", lambda: latency(peer, args))
    attempt(results, "crash", lambda: crash(peer, args))
    for key in ("enqueue", "throughput_1", "throughput_2", "latency", "crash"):
        print(f"   {key}: {json.dumps(results[key])}", flush=True)
    return results


def pgbench_ceiling(args, procs):
    """jobs/s of raw/single.sql (1 job per cycle) and raw/batched.sql (100 per cycle), pgbench -c 2 -T seconds.
    The table is recreated and filled before each script; a run that reaches the end of the queued rows is repeated
    with 4 times the rows."""
    pgbench = args.pgbench or next((p for p in ("/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench")
                                    if os.path.exists(p)), shutil.which("pgbench"))
    if not pgbench:
        raise Failed("pgbench not found")
    create_database(args.pg_dsn_base, "compare_raw")
    dsn = dsn_for(args.pg_dsn_base, "compare_raw")
    seconds = args.ceiling_seconds
    result = {"clients": 2, "seconds": seconds}
    for script, per_cycle, rows in (("single", 1, max(20_000, 5_000 * seconds)),
                                    ("batched", 100, max(200_000, 50_000 * seconds))):
        for _ in range(3):
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute((HERE / "raw" / "schema.sql").read_text())
                conn.execute("INSERT INTO raw_queue (payload) SELECT jsonb_build_object('n', g) "
                             "FROM generate_series(1, %s) g", (rows,))
                conn.execute("VACUUM ANALYZE raw_queue")
                argv = [pgbench, "-n", "-M", "prepared", "-c", "2", "-j", "2", "-T", str(seconds),
                        "-f", str(HERE / "raw" / f"{script}.sql"), dsn]
                try:
                    out, failure = procs.run(argv, os.environ, f"pgbench-{script}", seconds + 300), None
                except Failed as error:  # pgbench aborts a client whose claim finds no row
                    out, failure = "", error
                left = conn.execute("SELECT count(*) FROM raw_queue WHERE state = 0").fetchone()[0]
            if left >= 2 * per_cycle:
                if failure:
                    raise failure
                break
            rows *= 4
        else:
            raise Failed(f"{script}: ran out of rows three times (last fill {rows // 4})")
        tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
        result[f"{script}_jobs_per_second"] = tps * per_cycle
        result[f"{script}_rows"] = rows
    return result


def sqlite_ceiling(args, procs):
    """`sluice-bench raw-sqlite`: {"single_jobs_per_second": X, "batched_jobs_per_second": Y}."""
    path = args.work / "raw-sqlite.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    argv = [os.environ["COMPARE_SLUICE_BENCH_BIN"], "raw-sqlite", "--path", str(path),
            "--seconds", str(args.ceiling_seconds)]
    return last_json(procs.run(argv, os.environ, "raw-sqlite", args.ceiling_seconds + 300))


# ---- report


def number(value, digits=0):
    return f"{value:,.{digits}f}".replace(",", " ")


def figure(result, key, digits=0):
    """A cell: the figure, or the error."""
    if result is None:
        return "—"
    if "error" in result:
        return result["error"].replace("|", "/").replace("\n", " ")
    return number(result[key], digits)


def throughput(result):
    """A throughput cell, marked when the count fell in fewer than 5 steps."""
    cell = figure(result, "jobs_per_second")
    return cell + (f" (coarse: {result['drops']} drops)" if result.get("drops", 5) < 5 else "")


def ratio(sluice, peer, key):
    """Sluice's figure over the peer's, or — when either is missing."""
    try:
        return f"{sluice[key] / peer[key]:.2f}×"
    except (KeyError, TypeError, ZeroDivisionError):
        return "—"


def report(args, machine, peers, ceilings):
    rows = sorted((p for p in peers if "error" not in p),
                  key=lambda p: (p["backend"], not p["spec"].startswith("sluice-")))
    sluice = {p["backend"]: p for p in rows if p["spec"].startswith("sluice-")}

    def versus(p):
        """Sluice's results on the peer's backend, unless the peer is Sluice."""
        return {} if p["spec"].startswith("sluice-") else sluice.get(p["backend"], {})

    out = [f"Measured {machine['date']} by bench/compare/compare.py. Machine: {machine['cpus']} CPUs, "
           f"{machine['platform']}, Python {machine['python']}, SQLite {machine['sqlite']}, "
           f"PostgreSQL {machine.get('postgres', '—')} (durable defaults). "
           "Sluice ÷ peer compares Sluice on the peer's backend (PostgreSQL peers with Sluice on PostgreSQL, huey "
           "with Sluice on SQLite).", ""]
    out += [f"### Batch enqueue of {number(args.jobs)} no-op jobs (jobs/s, higher is better)", "",
            "| peer | backend | jobs/s | Sluice ÷ peer |", "|---|---|---|---|"]
    out += [f"| {p['name']} | {p['backend']} | {figure(p['enqueue'], 'jobs_per_second')} | "
            f"{ratio(versus(p).get('enqueue'), p['enqueue'], 'jobs_per_second')} |" for p in rows]
    out += ["", f"### No-op throughput, {number(args.jobs)} queued (jobs/s, higher is better)", "",
            "| peer | backend | 1 worker process | 2 worker processes | Sluice ÷ peer (1) | Sluice ÷ peer (2) |",
            "|---|---|---|---|---|---|"]
    out += [f"| {p['name']} | {p['backend']} | {throughput(p['throughput_1'])} | {throughput(p['throughput_2'])} | "
            f"{ratio(versus(p).get('throughput_1'), p['throughput_1'], 'jobs_per_second')} | "
            f"{ratio(versus(p).get('throughput_2'), p['throughput_2'], 'jobs_per_second')} |" for p in rows]
    out += ["", f"### Pickup latency, idle worker, {args.latency_count} jobs {args.latency_spacing_ms:g} ms apart "
            "(ms from the enqueue call to the handler's start, lower is better: Sluice ÷ peer below 1 is Sluice "
            "faster)", "",
            "| peer | backend | p50 | p95 | p99 | not started | Sluice ÷ peer (p50) | Sluice ÷ peer (p99) |",
            "|---|---|---|---|---|---|---|---|"]
    out += [f"| {p['name']} | {p['backend']} | {figure(p['latency'], 'p50_ms', 2)} | "
            f"{figure(p['latency'], 'p95_ms', 2)} | {figure(p['latency'], 'p99_ms', 2)} | "
            f"{figure(p['latency'], 'not_started')} | {ratio(versus(p).get('latency'), p['latency'], 'p50_ms')} | "
            f"{ratio(versus(p).get('latency'), p['latency'], 'p99_ms')} |" for p in rows]
    out += ["", f"### Crash: {number(args.crash_jobs)} sleep50 jobs, worker (concurrency {args.crash_concurrency}) "
            f"killed with SIGKILL after {args.crash_after:g} s, another started at once", "",
            "Recovery: the last end of the jobs in flight at the kill, after the kill (s). Lost: jobs that never ended. "
            "Duplicated: jobs that ended twice or more.", "",
            "| peer | backend | in flight at kill | recovery (s) | lost | duplicated | wait ended | Sluice ÷ peer "
            "(recovery) |", "|---|---|---|---|---|---|---|---|"]
    for p in rows:
        c = p["crash"]
        if "error" in c:
            out.append(f"| {p['name']} | {p['backend']} | {figure(c, '')} | | | | | |")
            continue
        recovery = ("none in flight" if not c["in_flight_at_kill"] else "not recovered"
                    if c["recovery_seconds"] is None else number(c["recovery_seconds"], 2))
        out.append(f"| {p['name']} | {p['backend']} | {c['in_flight_at_kill']} | {recovery} | {c['lost']} | "
                   f"{c['duplicated']} | {c['outcome']} | {ratio(versus(p).get('crash'), c, 'recovery_seconds')} |")
    out += ceiling_section(ceilings, sluice)
    out += ["", "### Settings", ""]
    out += [f"- **{p['name']}**: {p['settings']}" + (f"; journal_mode {p['journal_mode']}" if "journal_mode" in p else "")
            for p in rows]
    out += [f"- **{p['spec']}**: not measured: {p['error']}" for p in peers if "error" in p]
    return "\n".join(out) + "\n"


def ceiling_section(ceilings, sluice):
    """The raw ceilings and Sluice's no-op throughput as a fraction of the batched ones."""
    if not ceilings:
        return []
    out = ["", "### Raw ceilings: the claim and complete cycle in plain SQL, no queue library (jobs/s)", "",
           "| ceiling | single (claim 1, complete 1) | batched (claim 100, complete 100) |", "|---|---|---|"]
    labels = {"postgres": "PostgreSQL: pgbench, 2 clients, raw/*.sql", "sqlite": "SQLite: sluice-bench raw-sqlite"}
    for backend, result in ceilings.items():
        out.append(f"| {labels[backend]} | {figure(result, 'single_jobs_per_second')} | "
                   f"{figure(result, 'batched_jobs_per_second')} |")
    fractions = []
    for backend, result in ceilings.items():
        for key, label in (("throughput_1", "1 worker process"), ("throughput_2", "2 worker processes")):
            mine = sluice.get(backend, {}).get(key, {})
            if "jobs_per_second" in mine and "batched_jobs_per_second" in result:
                share = mine["jobs_per_second"] / result["batched_jobs_per_second"]
                fractions.append(f"- Sluice on {backend}, {label}: {number(mine['jobs_per_second'])} jobs/s, "
                                 f"{share:.0%} of the batched ceiling")
    notes = ["", "The pgbench scripts commit every statement durably, as Sluice does (claims and heartbeats included). "
             "raw-sqlite uses Sluice's settings (WAL, synchronous=NORMAL)."]
    return out + ([""] + fractions if fractions else []) + notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-dsn-base", help="libpq URL of a PostgreSQL server (databases are created on it)")
    parser.add_argument("--work", type=Path, required=True, help="directory for SQLite files, ledgers and logs")
    parser.add_argument("--out", type=Path, required=True, help="Markdown report")
    parser.add_argument("--json", type=Path, required=True, help="JSON results")
    parser.add_argument("--peers", default=",".join(ALL_PEERS), help="comma-separated, default: %(default)s")
    parser.add_argument("--jobs", type=int, default=20_000, help="jobs for enqueue and throughput")
    parser.add_argument("--latency-count", type=int, default=200)
    parser.add_argument("--latency-spacing-ms", type=float, default=20)
    parser.add_argument("--settle", type=float, default=3, help="seconds between worker start and the first job")
    parser.add_argument("--latency-wait", type=float, default=30, help="seconds to wait for the last start")
    parser.add_argument("--crash-jobs", type=int, default=1_000)
    parser.add_argument("--crash-concurrency", type=int, default=20)
    parser.add_argument("--crash-after", type=float, default=2, help="seconds from worker start to SIGKILL")
    parser.add_argument("--crash-wait", type=float, default=120, help="seconds to wait for every job to end")
    parser.add_argument("--deadline", type=float, default=900, help="seconds allowed for any other step")
    parser.add_argument("--ceiling-seconds", type=int, default=10, help="duration of each raw ceiling run")
    parser.add_argument("--no-ceilings", action="store_true", help="skip pgbench and raw-sqlite")
    parser.add_argument("--pgbench", help="pgbench binary (default: PostgreSQL 15's, then PATH)")
    args = parser.parse_args()
    args.work = args.work.resolve()
    (args.work / "logs").mkdir(parents=True, exist_ok=True)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # exit through the finally that kills every child
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))
    procs = Processes(args.work / "logs")
    machine = {"date": datetime.date.today().isoformat(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    try:
        if args.pg_dsn_base:
            with psycopg.connect(dsn_for(args.pg_dsn_base, "postgres")) as conn:
                machine["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
        peers = [measure_peer(spec.strip(), args, procs) for spec in args.peers.split(",") if spec.strip()]
        ceilings = {}
        if not args.no_ceilings:
            if args.pg_dsn_base:
                attempt(ceilings, "postgres", lambda: pgbench_ceiling(args, procs))
            if os.environ.get("COMPARE_SLUICE_BENCH_BIN"):
                attempt(ceilings, "sqlite", lambda: sqlite_ceiling(args, procs))
    finally:
        procs.kill_all()
    options = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    args.json.write_text(json.dumps({"machine": machine, "options": options, "peers": peers, "ceilings": ceilings},
                                    indent=2) + "\n")
    text = report(args, machine, peers, ceilings)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
