"""Load benchmark of the production setup, on loopback only, driven by wrk.

Starts ``sinfronteras serve`` (gunicorn, WhiteNoise, HTTPS=1 as behind the TLS proxy) on a
fresh demo database (``migrate``, ``loaddemo``), SQLite and then PostgreSQL, logs in N plain
demo members (before the load, not timed) and hands their session cookies to wrk
(``bench/wrk_members.lua``), which cycles them through Home, Needs, Offers, My tasks,
Decisions and Alerts with no pause. At each connection count it reports requests a second,
p50/p95/p99, errors and the server's CPU milliseconds per request (user + system time of
gunicorn's master and workers, from ``/proc``, divided by the requests wrk made), and the
same for a trivial response: an anonymous ``GET /``, which the site answers with a redirect
to the login page without running a view. Then a burst: members opening the alert page at a
fixed rate (open loop), 2,000 requests in 30 s by default.

    python bench/bench_web.py                      # both databases, 10,50,100 connections, 20 s
    python bench/bench_web.py --database sqlite --connections 50 --seconds 5 --no-burst
    python bench/bench_web.py --json -o web.json   # the figures as JSON into web.json

PostgreSQL: ``--postgres postgres://postgres@127.0.0.1:5432`` (a database
``sinfronteras_bench`` is created there and dropped afterwards). Needs ``wrk`` (Debian:
``apt-get install wrk``; installed here when running as root). Exit 0 done, 1 failed,
2 bad input (one line saying what to fix).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from sinfronteras import cliconv

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from production_server import (Visitor, free_port, production_env, run_cli,  # noqa: E402
                               start_server)

PROG = "bench_web"
SCRIPT = Path(__file__).resolve().with_name("wrk_members.lua")
PASSWORD = "sinfronteras-demo"
PAGES = ["/", "/needs/", "/offers/", "/tasks/", "/decisions/", "/alerts/"]
#: The trivial response: an anonymous GET of Home, answered by a redirect to the login page
#: (every middleware runs, no view does work, no template is rendered).
TRIVIAL = "/"
BURST_PAGE = "/alerts/"
#: The demo's plain members (two factors are for coordinators only): hogar-001..219,
#: voluntario-001..109 (``loaddemo``'s 220 households and 110 volunteers, less Luz and Vero).
MEMBERS = [f"hogar-{n:03d}" for n in range(1, 220)] + [f"voluntario-{n:03d}" for n in range(1, 110)]
CLOCK_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
EXAMPLE = "python bench/bench_web.py --database sqlite --connections 10,50 --seconds 10 --json"


def interrupted(signum, frame):
    """SIGTERM as Ctrl-C: the server is stopped and the database dropped on the way out."""
    raise KeyboardInterrupt


def parse(argv):
    parser = cliconv.parser(PROG, __doc__.splitlines()[0], EXAMPLE)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (database sinfronteras_bench: made, dropped)")
    parser.add_argument("--connections", default="10,50,100",
                        help="wrk's connection counts, comma-separated (default 10,50,100)")
    parser.add_argument("--seconds", type=int, default=20, help="seconds per measurement")
    parser.add_argument("--members", type=int, default=200,
                        help=f"demo members logged in, at most {len(MEMBERS)} (default 200)")
    parser.add_argument("--burst", action=argparse.BooleanOptionalAction, default=True,
                        help="the alert-page burst (--no-burst: skip it)")
    parser.add_argument("--per-page", action="store_true",
                        help="also each page alone, at the first connection count")
    parser.add_argument("--burst-requests", type=int, default=2000)
    parser.add_argument("--burst-seconds", type=int, default=30)
    parser.add_argument("--burst-connections", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn process")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (-t)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout, seconds")
    cliconv.add_output(parser, "the figures")
    cliconv.add_json(parser, "the figures")
    args = parser.parse_args(argv)
    try:
        args.connections = [int(part) for part in args.connections.split(",") if part.strip()]
    except ValueError:
        raise cliconv.UsageError(f"--connections {args.connections}: give whole numbers, "
                                 "comma-separated, e.g. 10,50,100") from None
    positive = {"--seconds": args.seconds, "--members": args.members,
                "--burst-requests": args.burst_requests, "--burst-seconds": args.burst_seconds,
                "--workers": args.workers, "--threads": args.threads,
                "--wrk-threads": args.wrk_threads, "--timeout": args.timeout}
    for name, value in positive.items():
        if value < 1:
            raise cliconv.UsageError(f"{name} {value}: give a whole number of at least 1")
    if not args.connections or min(args.connections) < args.wrk_threads:
        raise cliconv.UsageError(f"--connections: each count must be at least --wrk-threads "
                                 f"({args.wrk_threads})")
    if args.burst_connections < args.wrk_threads:
        raise cliconv.UsageError(f"--burst-connections {args.burst_connections}: at least "
                                 f"--wrk-threads ({args.wrk_threads})")
    if args.members > len(MEMBERS):
        raise cliconv.UsageError(f"--members {args.members}: the demo has {len(MEMBERS)} plain "
                                 "members; give at most that")
    cliconv.check_output(args.output)
    return args


def say(text: str) -> None:
    """Progress, on standard error: standard output is for the figures."""
    print(text, file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    """wrk's path; installed from Debian when missing and running as root, else bad input."""
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: apt-get install -y -qq wrk")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if found is None:
        raise cliconv.UsageError("wrk is not installed: install it (Debian: sudo apt-get "
                                 "install wrk) and run again")
    return found


def process_tree_ticks(root: int) -> int:
    """CPU clock ticks (user + system, and reaped children's) of ``root`` and its descendants."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # ended while we looked
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "; comm may hold spaces
        stats[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    tree, total, grown = {root}, 0, True
    while grown:
        grown = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    for pid in tree:
        total += stats.get(pid, (0, 0))[1]
    return total


def settle(pid: int, longest: float = 60.0) -> None:
    """Wait until the server has used no CPU for half a second (requests left queued by the
    last run answered), so that their work is not counted in the next run."""
    deadline, last = time.monotonic() + longest, process_tree_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = process_tree_ticks(pid)
        if now - last <= 1:  # one tick: gunicorn's heartbeat, not a request
            return
        last = now


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(tool, server, sessions, paths, connections, seconds, args, rate=0.0, total=0):
    """One wrk run; its figures, with the server's and wrk's own CPU per request."""
    command = [tool, f"-t{args.wrk_threads}", f"-c{connections}", f"-d{seconds}s",
               f"--timeout={args.timeout}s", "-s", str(SCRIPT), server.base, "--",
               str(sessions), ",".join(paths), str(args.wrk_threads)]
    if rate:
        command += [f"{rate:.6f}", str(total)]
    settle(server.process.pid)
    server_before = process_tree_ticks(server.process.pid)
    client_before = client_cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    client_cpu = client_cpu_seconds() - client_before
    server_cpu_ms = (process_tree_ticks(server.process.pid) - server_before) * CLOCK_TICK_MS
    line = next((row for row in done.stdout.splitlines() if row.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    requests = raw["requests"]
    errors = (raw["connect_errors"] + raw["read_errors"] + raw["write_errors"]
              + raw["timeouts"] + raw["client_errors"] + raw["server_errors"])
    return {
        "connections": connections, "requests": requests,
        "seconds": round(raw["duration_us"] / 1e6, 2),
        "req_per_s": round(requests / (raw["duration_us"] / 1e6), 1) if requests else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1), "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors, "redirects": raw["redirects"],
        "error_kinds": {name: raw[name] for name in (
            "connect_errors", "read_errors", "write_errors", "timeouts", "client_errors",
            "server_errors") if raw[name]},
        "server_cpu_ms_per_request": round(server_cpu_ms / requests, 2) if requests else None,
        "client_cpu_ms_per_request": round(1000 * client_cpu / requests, 2) if requests else None,
    }


def log_in(base: str, username: str) -> str | None:
    """A demo member's Cookie header after logging in, or None when the login failed."""
    visitor = Visitor(base)
    try:
        visitor.log_in(username, PASSWORD)
    except (AssertionError, OSError):
        return None
    return "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())


def measure(label, env, port, tool, folder: Path, args) -> dict:
    """Prepare a fresh demo database, serve it, and run every measurement against it."""
    say(f"== {label}: preparing (migrate, loaddemo)")
    run_cli(env, "migrate", "--noinput", timeout=900)
    run_cli(env, "loaddemo", timeout=900)
    server = start_server(env, port, folder / "serve.log", workers=args.workers,
                          threads=args.threads)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:  # logins first, not measured
            cookies = [c for c in pool.map(lambda name: log_in(server.base, name),
                                           MEMBERS[:args.members]) if c]
        if not cookies:
            raise RuntimeError(f"{label}: no demo member could log in: {server.output()[-500:]}")
        sessions = folder / "sessions.txt"
        sessions.write_text("\n".join(cookies) + "\n")
        sessions.chmod(0o600)
        say(f"{label}: {len(cookies)} of {args.members} members logged in; warming up 3 s")
        wrk(tool, server, sessions, PAGES, args.wrk_threads, 3, args)
        result = {"database": label, "sessions": len(cookies), "load_start": os.getloadavg(),
                  "members": [], "trivial": []}
        for connections in args.connections:
            for kind, paths, who in (("members", PAGES, sessions), ("trivial", [TRIVIAL], "-")):
                say(f"{label}: {kind}, {connections} connections, {args.seconds} s")
                result[kind].append(wrk(tool, server, who, paths, connections, args.seconds, args))
        if args.per_page:
            for page in PAGES:
                say(f"{label}: {page} alone, {args.connections[0]} connections, {args.seconds} s")
                result.setdefault("per_page", []).append({"page": page, **wrk(
                    tool, server, sessions, [page], args.connections[0], args.seconds, args)})
        if args.burst:
            rate = args.burst_requests / args.burst_seconds
            say(f"{label}: burst, {args.burst_requests} requests of {BURST_PAGE} in "
                f"{args.burst_seconds} s ({rate:.1f}/s), {args.burst_connections} connections")
            result["burst"] = burst(tool, server, sessions, rate, args)
        result["load_end"] = os.getloadavg()
        return result
    finally:
        server.stop()


def burst(tool, server, sessions, rate, args) -> dict:
    """The alert page at a fixed rate; wrk runs 5 s past the last slot, and a request not
    answered by then counts as an error."""
    figures = wrk(tool, server, sessions, [BURST_PAGE], args.burst_connections,
                  args.burst_seconds + 5, args, rate=rate, total=args.burst_requests)
    unanswered = max(0, args.burst_requests - figures["requests"])
    figures.pop("req_per_s")  # wrk always runs its whole -d: the rate is the planned one
    return {**figures, "requests_planned": args.burst_requests, "rate_per_s": round(rate, 1),
            "seconds": args.burst_seconds, "unanswered": unanswered,
            "errors": figures["errors"] + unanswered}


def postgres(args, body):
    """Run ``body(url)`` on a fresh database sinfronteras_bench, dropped afterwards."""
    admin = f"{args.postgres}/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS sinfronteras_bench (FORCE)")
            db.execute("CREATE DATABASE sinfronteras_bench")
    except psycopg.OperationalError as exc:
        raise cliconv.UsageError(f"--postgres {args.postgres}: cannot connect: {exc}") from None
    try:
        return body(f"{args.postgres}/sinfronteras_bench")
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS sinfronteras_bench (FORCE)")


def table(result: dict) -> str:
    rows = [f"### {result['database']}: {result['sessions']} members' sessions; load average "
            f"{result['load_start'][0]:.1f} at the start, {result['load_end'][0]:.1f} at the end",
            "", "| what | connections | requests | req/s | p50 ms | p95 ms | p99 ms | errors "
            "| server CPU ms/request | wrk CPU ms/request |", "|---" * 10 + "|"]
    names = {"members": "everyday pages", "trivial": f"trivial redirect (anonymous GET {TRIVIAL})"}
    for kind in ("members", "trivial"):
        for run in result[kind]:
            errors = str(run["errors"])
            if kind == "members" and run["redirects"]:
                errors += f" (+{run['redirects']} redirects: a session was lost)"
            rows.append(f"| {names[kind]} | {run['connections']} | {run['requests']:,} | "
                        f"{run['req_per_s']:.1f} | {run['p50_ms']:.0f} | {run['p95_ms']:.0f} | "
                        f"{run['p99_ms']:.0f} | {errors} | {run['server_cpu_ms_per_request']} | "
                        f"{run['client_cpu_ms_per_request']} |")
    for run in result.get("per_page", []):
        rows.append(f"| {run['page']} alone | {run['connections']} | {run['requests']:,} | "
                    f"{run['req_per_s']:.1f} | {run['p50_ms']:.0f} | {run['p95_ms']:.0f} | "
                    f"{run['p99_ms']:.0f} | {run['errors'] + run['redirects']} | "
                    f"{run['server_cpu_ms_per_request']} | {run['client_cpu_ms_per_request']} |")
    burst = result.get("burst")
    if burst:
        rows += ["", f"Burst: {burst['requests']:,} of {burst['requests_planned']:,} requests of "
                 f"{BURST_PAGE} answered, sent at {burst['rate_per_s']}/s "
                 f"({burst['connections']} connections, {result['sessions']} distinct sessions "
                 f"cycled): p50 {burst['p50_ms']:.0f} ms, p95 {burst['p95_ms']:.0f} ms, "
                 f"p99 {burst['p99_ms']:.0f} ms, max {burst['max_ms']:.0f} ms, "
                 f"{burst['errors']} errors ({burst['unanswered']} unanswered), "
                 f"{burst['redirects']} redirects, server CPU "
                 f"{burst['server_cpu_ms_per_request']} ms/request."]
    return "\n".join(rows)


def body(argv) -> int:
    args = parse(argv)
    tool = ensure_wrk()
    signal.signal(signal.SIGTERM, interrupted)
    figures = {"command": " ".join(["python", "bench/bench_web.py", *argv]),
               "cpus": os.cpu_count(), "workers": args.workers, "threads": args.threads,
               "wrk_threads": args.wrk_threads, "seconds": args.seconds, "pages": PAGES,
               "trivial": f"anonymous GET {TRIVIAL} (a redirect to the login page)",
               "databases": []}
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        if args.database in ("sqlite", "both"):
            port = free_port()
            env = production_env(Path(folder) / "sqlite", port, DATABASE_URL="")
            figures["databases"].append(
                measure("SQLite", env, port, tool, Path(folder) / "sqlite", args))
        if args.database in ("postgres", "both"):
            def on_postgres(url):
                port = free_port()
                env = production_env(Path(folder) / "postgres", port, DATABASE_URL=url)
                return measure("PostgreSQL", env, port, tool, Path(folder) / "postgres", args)
            figures["databases"].append(postgres(args, on_postgres))
    text = (cliconv.dumps(figures) if args.json
            else "\n\n".join(table(result) for result in figures["databases"]))
    cliconv.write(args.output, text)
    return 0


def main(argv=None) -> int:
    try:
        return cliconv.run(PROG, body, sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # the server was stopped and the database dropped on the way out
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
