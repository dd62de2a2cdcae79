"""Benchmark of federation rounds: three real servers end to end, and a thousand collectives.

``--servers``: three servers on loopback (each its own process, SQLite database, keys and
port), each loaded with the demo collective (``loaddemo``, its resources given a shared URI),
federated through invitation codes; times ``sinfronteras federation round --now`` end to end
(the command's process included) and prints the bytes each server sent and received, the CPU
seconds (user + system) of the command and of each server, and the load average before and
after (the wall time of a shared machine says little alone); ``--profile DIR`` writes each round
command's cProfile to ``DIR/round-N.prof``. Goal: at most 10 s.

``--collectives N``: N collectives of ``--needs`` needs and ``--offers`` offers (city-like,
spread over a region so that neighbours share arcs), their digests made and signed in one
process; then the union is planned (``--modes plain,ray``: the planner alone, or its sparse core
on a local Ray), certified and verified (``plain`` as a round plans: on all arcs where they
fit), each mode in a fresh process. Prints seconds per stage (wall and CPU, with the load
average), the union's size in arcs, its digests' bytes, and the peak RSS. Goal: at most 60 s and 4 GB.

Usage: ``python bench/bench_federation.py [--servers [--rounds 2] [--profile DIR]] [--collectives 1000
--needs 200 --offers 100 --modes plain,ray]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


# --- a thousand collectives, in one process -------------------------------------------------------

def collectives(n: int, needs: int, offers: int, seed: int):
    """N city-like problems whose resources share URIs, centred over a region of ~900 x 1,100 km
    (about eight collectives within an offer's longest reach of 50 km)."""
    import dataclasses

    import numpy as np

    from sinfronteras.planning.generate import city_problem

    rng = np.random.default_rng(seed)
    for k in range(n):
        lat, lon = 30.0 + rng.uniform(0, 8), -122.0 + rng.uniform(0, 12)
        p = city_problem(needs, seed=seed + k, offers_per_need=offers / needs, centre=(lat, lon),
                         radii_km=(5.0, 10.0, 25.0, 50.0))
        resources = tuple(dataclasses.replace(r, uri=f"https://example.org/resource/{r.id}")
                          for r in p.resources)
        yield dataclasses.replace(p, resources=resources)


def child(args) -> dict:
    from sinfronteras.federation import keys, wire
    from sinfronteras.planning.arcs import build_arcs
    from sinfronteras.planning.fedcert import certificate, verify
    from sinfronteras.planning.federation import digest, plan_union, union_problem

    pair = keys._load(keys._new_line().decode())
    t0 = time.monotonic()
    digests, sizes, signed_all = [], [], []
    for k, problem in enumerate(collectives(args.collectives, args.needs, args.offers, args.seed)):
        d = digest(problem, f"c{k}")
        actor = f"https://c{k}.example.org/federation/c{k}/actor"
        signed = wire.sign_object(wire.digest_object(d, actor, "https://x.example.org/rounds/1", members=50),
                                  f"{actor}#{pair.fingerprint}", pair)
        sizes.append(len(wire.canonical(signed)))
        signed_all.append(signed)
        digests.append(d)
    t_digest = time.monotonic() - t0
    cpu = {}
    t0, c0 = time.monotonic(), time.process_time()
    union = union_problem(digests)
    t_union = time.monotonic() - t0
    cpu["union"] = time.process_time() - c0
    t0, c0 = time.monotonic(), time.process_time()
    # As a round plans: all arcs where they fit (plain), or the sparse core on a local Ray.
    result = plan_union(union, ray=args.mode == "ray" or None)
    doc = result.to_json()  # the plan as the round sends it
    t_plan = time.monotonic() - t0
    cpu["plan"] = time.process_time() - c0
    t0, c0 = time.monotonic(), time.process_time()
    cert = certificate(union, doc)
    t_cert = time.monotonic() - t0
    cpu["certificate"] = time.process_time() - c0
    t0, c0 = time.monotonic(), time.process_time()
    reasons = verify(union, doc, cert)
    t_verify = time.monotonic() - t0
    cpu["verify"] = time.process_time() - c0
    arcs = len(build_arcs(union.arrays).offer)
    plan_bytes = len(wire.canonical({"plan": doc, "certificate": cert}))
    # What crosses per round, one collective per server: each member receives the call and the
    # signed RoundPlan (every signed digest, the plan, its certificate), and sends its signed
    # digest and its answer; the starter sends N plans and receives N digests.
    round_plan = {"type": "RoundPlan", "id": "https://x.example.org/rounds/1/plan",
                  "round": "https://x.example.org/rounds/1", "attributedTo": "https://x.example.org/actor",
                  "digests": signed_all, "plan": doc, "certificate": cert, "digestHash": "0" * 64}
    round_plan = wire.sign_object(round_plan, f"https://x.example.org/actor#{pair.fingerprint}", pair)
    plan_msg = len(wire.canonical(round_plan))
    digest_mean = round(sum(sizes) / len(sizes))
    return {"mode": args.mode, "collectives": args.collectives, "union_needs": len(union.needs),
            "union_offers": len(union.offers), "arcs": arcs, "digest_s": round(t_digest, 2),
            "union_s": round(t_union, 2), "plan_s": round(t_plan, 2), "certificate_s": round(t_cert, 2),
            "verify_s": round(t_verify, 2), "round_s": round(t_union + t_plan + t_cert + t_verify, 2),
            "cpu_s": {k: round(v, 2) for k, v in cpu.items()}, "round_cpu_s": round(sum(cpu.values()), 2),
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "verified": not reasons, "digest_bytes_mean": digest_mean,
            "plan_and_certificate_bytes": plan_bytes,
            "member_sends_bytes": digest_mean, "member_receives_bytes": plan_msg,
            "starter_sends_bytes": plan_msg * args.collectives, "starter_receives_bytes": sum(sizes),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def many(args) -> None:
    for mode in args.modes.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run([sys.executable, __file__, "--child", "--mode", mode, "--out", out.name,
                            "--collectives", str(args.collectives), "--needs", str(args.needs),
                            "--offers", str(args.offers), "--seed", str(args.seed)], check=True)
            row = json.loads(Path(out.name).read_text())
        print(json.dumps(row))


# --- three servers end to end -------------------------------------------------------------------

def _children_cpu() -> float:
    """User + system seconds of the children this process has waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def tree_cpu(pid: int) -> float:
    """User + system seconds of a running process and its descendants (a server's master and
    workers), read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def servers(args) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from production_server import free_port, production_env, run_cli, start_server

    SHARE = ("from sinfronteras.sharing.models import Resource\n"
             "for r in Resource.objects.all():\n"
             "    Resource.objects.filter(pk=r.pk).update(uri='https://example.org/resource/' + r.key)\n")
    running, envs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for k in range(3):
                folder = Path(tmp) / f"s{k}"
                port = free_port()
                env = production_env(folder, port, DATABASE_URL="", FEDERATION_URL=f"http://127.0.0.1:{port}",
                                     FEDERATION_KEY_DIR=str(folder / "keys" / "federation"))
                run_cli(env, "migrate", "--noinput")
                run_cli(env, "createcachetable")
                run_cli(env, "loaddemo")
                run_cli(env, "shell", "-c", SHARE)
                envs.append(env)
                running.append(start_server(env, port, folder / "serve.log", workers=1, threads=4))
            code = json.loads(run_cli(envs[0], "federation", "create", "Bench", "--json"))["invite"]
            run_cli(envs[1], "federation", "join", code, "--json")
            code = json.loads(run_cli(envs[1], "federation", "invite", "--json"))["invite"]
            run_cli(envs[2], "federation", "join", code, "--json")
            for attempt in range(args.rounds):
                profile = ["-m", "cProfile", "-o", str(Path(args.profile) / f"round-{attempt + 1}.prof")] \
                    if args.profile else []
                servers_cpu = [tree_cpu(s.process.pid) for s in running]
                command_cpu = _children_cpu()
                load = os.getloadavg()[0]
                t0 = time.monotonic()
                done = subprocess.run([sys.executable, *profile, "-m", "sinfronteras.cli", "federation", "round",
                                       "--now", "--json"], env=envs[0], capture_output=True, text=True,
                                      timeout=600, check=True)
                wall = time.monotonic() - t0
                command_cpu = _children_cpu() - command_cpu
                servers_cpu = [round(tree_cpu(s.process.pid) - before, 2) for s, before in zip(running, servers_cpu)]
                report = json.loads(done.stdout)
                print(json.dumps({"round": attempt + 1, "wall_s": round(wall, 2),
                                  "command_cpu_s": round(command_cpu, 2), "servers_cpu_s": servers_cpu,
                                  "load_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
                                  **report["timings"],
                                  "states": [m["state"] for m in report["members"]],
                                  "bytes": {m["server"].rsplit(":", 1)[-1]: [m.get("bytes_sent"),
                                                                             m.get("bytes_received")]
                                            for m in report["members"]}}))
        finally:
            for server in running:
                server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", action="store_true", help="three servers end to end on loopback")
    parser.add_argument("--rounds", type=int, default=2, help="rounds between the three servers")
    parser.add_argument("--profile", metavar="DIR", help="--servers: write each round command's cProfile "
                        "to DIR/round-N.prof")
    parser.add_argument("--collectives", type=int, default=0)
    parser.add_argument("--needs", type=int, default=200)
    parser.add_argument("--offers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="plain,ray")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="plain", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinfronteras.web.settings")
    if args.child:
        Path(args.out).write_text(json.dumps(child(args)))
        return
    if args.servers:
        servers(args)
    if args.collectives:
        many(args)


if __name__ == "__main__":
    main()
