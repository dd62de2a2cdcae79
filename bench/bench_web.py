"""Load benchmark of the production setup, on loopback only.

Starts ``sinfronteras serve`` (gunicorn + WhiteNoise, HTTPS=1 as behind the TLS proxy) on a
fresh demo database, SQLite and then PostgreSQL, logs in N demo members and lets each click
through the everyday pages for a while (reads), posting a need now and then (writes). Prints
p50/p95/p99 per page, requests per second and errors.

    python bench/bench_web.py                          # 100 members, 60 s, both databases
    python bench/bench_web.py --members 20 --seconds 20 --database sqlite

PostgreSQL: ``--postgres postgres://postgres@127.0.0.1:5432`` (a database
``sinfronteras_bench`` is created there and dropped afterwards).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from production_server import (Visitor, free_port, production_env, run_cli,  # noqa: E402
                               start_server)

PASSWORD = "sinfronteras-demo"
PAGES = ["/", "/needs/", "/offers/", "/tasks/", "/decisions/", "/alerts/"]
OPTION = r'<select name="{}"[^>]*>.*?<option value="(\d+)"'


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def record(self, label: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.times[label].append(seconds)
            if not ok:
                self.errors[label] += 1


def timed(tally: Tally, label: str, call, expect: int | None = None):
    start = time.perf_counter()
    try:
        page = call()
        ok = page.status_code == expect if expect else page.status_code < 400
    except Exception:  # a refused or reset connection counts as an error
        page, ok = None, False
    tally.record(label, time.perf_counter() - start, ok)
    return page


def logged_in(base, username):
    """A member's visitor, logged in, with the choices of the need form (or None)."""
    visitor = Visitor(base)
    try:
        visitor.log_in(username, PASSWORD)
    except AssertionError:
        return None
    form = visitor.get("/needs/new/").text()
    resource = re.search(OPTION.format("resource"), form, re.S)
    area = re.search(OPTION.format("area"), form, re.S)
    choices = {"resource": resource.group(1), "area": area.group(1)} if resource and area else None
    return visitor, choices


def member_loop(visitor, choices, stop_at, think, tally, seed):
    chance = random.Random(seed)
    time.sleep(chance.uniform(0, think))  # members do not click in step
    while time.monotonic() < stop_at:
        if chance.random() < 0.1 and choices:
            # The form's GET (for its CSRF token) and the POST, timed together.
            timed(tally, "GET+POST /needs/new/", lambda: visitor.post_form(
                "/needs/new/", {**choices, "quantity": "2"}), expect=302)
        else:
            path = chance.choice(PAGES)
            timed(tally, f"GET {path}", lambda: visitor.get(path))
        time.sleep(chance.uniform(0.5 * think, 1.5 * think))


def run(label, env, port, args) -> None:
    print(f"\n== {label}: preparing (migrate, loaddemo)", flush=True)
    run_cli(env, "migrate", "--noinput", timeout=600)
    run_cli(env, "loaddemo", timeout=600)
    log = Path(env["DATA_DIR"]).parent / "serve.log"
    server = start_server(env, port, log, workers=args.workers, threads=args.threads)
    try:
        usernames = ([f"hogar-{n:03d}" for n in range(1, 221)]
                     + [f"voluntario-{n:03d}" for n in range(1, 111)])[:args.members]
        tally = Tally()
        with ThreadPoolExecutor(max_workers=10) as pool:  # logins first, not measured
            members = list(pool.map(lambda name: logged_in(server.base, name), usernames))
        for missing in range(members.count(None)):
            tally.record("login", 0.0, False)
        members = [m for m in members if m is not None]
        print(f"{label}: {len(members)} members logged in; measuring {args.seconds} s", flush=True)
        started = time.monotonic()
        stop_at = started + args.seconds
        with ThreadPoolExecutor(max_workers=len(members) or 1) as pool:
            for n, (visitor, choices) in enumerate(members):
                pool.submit(member_loop, visitor, choices, stop_at, args.think, tally, n)
        elapsed = time.monotonic() - started
        report(label, tally, elapsed, args)
    finally:
        server.stop()


def report(label, tally, elapsed, args) -> None:
    total = sum(len(v) for v in tally.times.values())
    errors = sum(tally.errors.values())
    print(f"{label}: {args.members} members, {args.workers} workers x {args.threads} threads, "
          f"think {args.think} s, {elapsed:.0f} s: {total} requests ({total / elapsed:.1f}/s), "
          f"{errors} errors")
    print("| page | requests | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    everything = []
    for page in sorted(tally.times):
        times = tally.times[page]
        everything += times
        print(f"| {page} | {len(times)} | {1000 * statistics.median(times):.0f} | "
              f"{1000 * percentile(times, 0.95):.0f} | {1000 * percentile(times, 0.99):.0f} | "
              f"{tally.errors[page]} |")
    if everything:
        print(f"| all | {len(everything)} | {1000 * statistics.median(everything):.0f} | "
              f"{1000 * percentile(everything, 0.95):.0f} | "
              f"{1000 * percentile(everything, 0.99):.0f} | {errors} |", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a member's clicks, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        if args.database in ("sqlite", "both"):
            port = free_port()
            env = production_env(Path(folder) / "sqlite", port, DATABASE_URL="",
                                 WRITES_PER_MINUTE="1000")
            run("SQLite", env, port, args)
        if args.database in ("postgres", "both"):
            import psycopg

            admin = f"{args.postgres}/postgres"
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute("DROP DATABASE IF EXISTS sinfronteras_bench")
                db.execute("CREATE DATABASE sinfronteras_bench")
            try:
                port = free_port()
                env = production_env(Path(folder) / "postgres", port,
                                     DATABASE_URL=f"{args.postgres}/sinfronteras_bench",
                                     WRITES_PER_MINUTE="1000")
                run("PostgreSQL", env, port, args)
            finally:
                with psycopg.connect(admin, autocommit=True) as db:
                    db.execute("DROP DATABASE IF EXISTS sinfronteras_bench (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
