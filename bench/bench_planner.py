"""Benchmark of the planner on seeded city-like problems of 1e4, 1e5 and 1e6 arcs.

Prints one table: the planner's wall time and peak memory (max RSS of a fresh
process that only builds the problem and plans it); one OR-Tools min-cost-flow
solve with tier costs on the same arcs (tier rewards on the needs, distance as a
tie-break), at the planner's quantity units and at whole input units; the
staged generic LP with HiGHS (1e4, 1e5 arcs); and what greedy matching (one
request at a time) leaves: untouched needs per tier and the lowest fraction.
A second table sets whole steps on the same problems (items 1, kg 0.5, hours
0.5: every quantity is a whole number of them) and prints the plan with steps
beside the plan without.

Usage: ``python bench/bench_planner.py [--sizes 1e4,1e5,1e6] [--seed 1] [--lp-budget 900]``
``[--steps-only] [--repeat N]`` (only the second table; each plan the best of N fresh runs,
with and without steps in turn, so that both see the same load).
``--stability-only``: only the third table, the cost of the stability stage of a replan
(the same problems with one need in fifty grown by half, planned with and without the
first plan as ``previous``; in-process times, printed, never asserted).
``--versus-mcf [--sizes 8.3e5] [--repeat 7]``: only ``sinfronteras plan`` as a whole process
against one OR-Tools min-cost flow as a whole process on the same problem, in turn, medians of
CPU seconds (user + system) and of wall seconds;
``--baseline SRC`` also times the planner of another checkout's ``src`` in the same turns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def instance(target_arcs: int, seed: int):
    """A city problem with about ``target_arcs`` arcs (calibrated on the needs count)."""
    from sinfronteras.planning.arcs import build_arcs
    from sinfronteras.planning.generate import city_problem

    n = max(50, int(target_arcs / 40))
    for _ in range(8):
        p = city_problem(n, seed=seed)
        arcs = build_arcs(p.arrays)
        ratio = target_arcs / max(len(arcs), 1)
        if 0.93 < ratio < 1.07:
            break
        n = max(50, int(n * ratio**0.8))
    return p, arcs


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


#: Steps the second table gives each unit of the city problems.
STEPS = {"items": 1.0, "kg": 0.5, "hours": 0.5}


def with_steps(p):
    """The same problem with whole steps on every resource."""
    from dataclasses import replace

    return replace(p, resources=tuple(replace(r, step=STEPS[r.unit]) for r in p.resources))


def child_plan(size: int, seed: int, steps: bool = False) -> dict:
    from sinfronteras.planning.solve import plan

    p, arcs = instance(size, seed)
    del arcs
    if steps:
        p = with_steps(p)
    before = _rss_mb()
    t = time.perf_counter()
    result = plan(p)
    wall = time.perf_counter() - t
    return {
        "needs": len(p.needs),
        "offers": len(p.offers),
        "plan_s": wall,
        "rss_before_mb": before,
        "peak_mb": _rss_mb(),
        "max_flows": result.summary["max_flows"],
        "roundings": result.summary.get("roundings", 0),
        "tiers": result.summary["tiers"],
    }


def reference_network(p, arcs, whole_units: bool = False) -> dict:
    """The network of one min-cost flow that maximises tier-weighted met (no leximin), as arrays."""
    from sinfronteras.planning.solve import scale_quantities

    a = p.arrays
    if whole_units:
        q, s = np.rint(a.need_quantity).astype(np.int64), np.rint(a.offer_quantity).astype(np.int64)
    else:
        sc = scale_quantities(a.need_quantity, a.offer_quantity)
        q, s = sc.need, sc.offer
    n_o, n_n = len(s), len(q)
    src, snk = n_o + n_n, n_o + n_n + 1
    km = np.rint(arcs.km * 1000).astype(np.int64)  # metres
    reward = np.array([0, 4, 3, 2, 1], np.int64)[a.need_tier] * (int(km.max(initial=0)) + 1) * 2
    tails = np.concatenate([np.full(n_o, src), arcs.offer, np.arange(n_n) + n_o, [src]])
    heads = np.concatenate([np.arange(n_o), arcs.need + n_o, np.full(n_n, snk), [snk]])
    caps = np.concatenate([s, s[arcs.offer], q, [int(s.sum())]])
    costs = np.concatenate([np.zeros(n_o, np.int64), km, -reward, [0]])
    supplies = np.zeros(n_o + n_n + 2, np.int64)
    supplies[src], supplies[snk] = int(s.sum()), -int(s.sum())
    return {"n_nodes": n_o + n_n + 2, "tails": tails, "heads": heads, "caps": caps, "costs": costs,
            "supplies": supplies}


def reference_mcf(p, arcs, whole_units: bool) -> float:
    """Seconds of one min-cost flow that maximises tier-weighted met (no leximin)."""
    from sinfronteras.planning.flows import min_cost_flow

    t = time.perf_counter()
    net = reference_network(p, arcs, whole_units)
    min_cost_flow(net["n_nodes"], net["tails"], net["heads"], net["caps"], net["costs"], net["supplies"])
    return time.perf_counter() - t


def child_others(size: int, seed: int, lp_budget: float) -> dict:
    from sinfronteras.planning.greedy import greedy

    p, arcs = instance(size, seed)
    out = {"arcs": len(arcs)}
    out["mcf_s"] = reference_mcf(p, arcs, whole_units=False)
    out["mcf_whole_s"] = reference_mcf(p, arcs, whole_units=True)
    g = greedy(p, arcs)
    out["greedy"] = g.summary["tiers"]
    if size <= 200_000:
        sys.path.insert(0, HERE)
        from staged_lp import Budget, staged_lp

        a = p.arrays
        try:
            r = staged_lp(arcs.offer, arcs.need, arcs.km, a.need_quantity, a.offer_quantity, a.need_tier, lp_budget)
            out["lp_s"], out["lp_n"] = r["seconds"], r["lps"]
        except Budget as exc:
            out["lp_s"], out["lp_over"] = lp_budget, str(exc)
    return out


def solve_network_file(path: str) -> int:
    """One OR-Tools min-cost flow on the network saved at ``path`` (the whole reference process)."""
    from ortools.graph.python import min_cost_flow as mcf

    net = np.load(path)
    solver = mcf.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        net["tails"].astype(np.int32), net["heads"].astype(np.int32), net["caps"], net["costs"])
    solver.set_nodes_supplies(np.arange(int(net["n_nodes"]), dtype=np.int32), net["supplies"])
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise SystemExit(f"reference min-cost flow: status {status}")
    return 0


def _timed(cmd: list[str], src: str | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, of the process and its children) of one command."""
    env = None if src is None else {**os.environ, "PYTHONPATH": src}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def versus_mcf(size: int, seed: int, repeat: int, baseline: str | None = None) -> None:
    """``sinfronteras plan`` against one OR-Tools min-cost flow on the same problem, process against process.

    The problem is written as a problem document; the reference network (tier rewards on
    the needs, distance as a tie-break, the planner's quantity units) is written as arrays,
    so that its process only loads them and solves: it builds no arcs and reads no JSON.
    The two commands run in turn, ``repeat`` times each; medians of CPU seconds (user +
    system, which a busy machine inflates far less than wall seconds) and of wall seconds are
    printed, with the load. ``baseline``: a ``src`` folder of another version of the planner,
    whose ``sinfronteras plan`` runs in turn with the two (same problem, same Python), for
    before and after in one run.
    """
    import statistics
    import tempfile

    p, arcs = instance(size, seed)
    with tempfile.TemporaryDirectory() as d:
        problem, plan_out, network = (os.path.join(d, f) for f in ("problem.json", "plan.json", "net.npz"))
        with open(problem, "w", encoding="utf-8") as f:
            json.dump(p.to_json(), f)
        np.savez(network, **reference_network(p, arcs))
        plan_cmd = [sys.executable, "-m", "sinfronteras.cli", "plan", problem, "-o", plan_out]
        mcf_cmd = [sys.executable, __file__, "--child", "mcf-file", "--network", network]
        _timed(plan_cmd), _timed(mcf_cmd)  # warm the file cache
        plans, mcfs, loads, bases = [], [], [], []
        for _ in range(repeat):
            loads.append(os.getloadavg()[0])
            plans.append(_timed(plan_cmd))
            if baseline:
                bases.append(_timed(plan_cmd, baseline))
            mcfs.append(_timed(mcf_cmd))
    med = [[statistics.median(r[k] for r in runs) for k in (0, 1)] for runs in (plans, mcfs)]
    (pw, pc), (mw, mc) = med
    ratios = sorted(a[1] / b[1] for a, b in zip(plans, mcfs))
    print(f"| {len(arcs):,} | {len(p.needs):,} / {len(p.offers):,} | {pc:.2f} | {mc:.2f} | {pc / mc:.2f}x "
          f"| {ratios[0]:.2f}x-{ratios[-1]:.2f}x | {pw:.2f} | {mw:.2f} | {pw / mw:.2f}x | {repeat} "
          f"| {min(loads):.1f}-{max(loads):.1f} |", flush=True)
    if bases:
        bw, bc = (statistics.median(r[k] for r in bases) for k in (0, 1))
        print(f"  baseline ({baseline}): plan CPU s (median) {bc:.2f}, baseline / MCF {bc / mc:.2f}x, "
              f"this / baseline {pc / bc:.2f}x (wall: {bw:.2f} s, {pw / bw:.2f}x)", flush=True)


def _versus_table(sizes, args) -> None:
    print("`sinfronteras plan` (whole process) against one OR-Tools min-cost flow (whole process) on the same problem:")
    head = ("| arcs | needs / offers | plan CPU s | 1 MCF CPU s | plan / MCF (CPU) | per-pair range (CPU) "
            "| plan wall s | 1 MCF wall s | plan / MCF (wall) | pairs | load (1 min) |")
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for size in sizes:
        versus_mcf(size, args.seed, args.repeat, args.baseline)


def _child(kind: str, size: int, seed: int, lp_budget: float) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--sizes", str(size), "--seed", str(seed)]
    cmd += ["--lp-budget", str(lp_budget)]
    r = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def _greedy_cell(tiers: dict) -> str:
    untouched = "/".join(str(tiers.get(t, {}).get("untouched", 0)) for t in "1234")
    low = min(row["min_fraction"] for row in tiers.values())
    return f"{untouched} ({low:.2f})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e4,1e5,1e6")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lp-budget", type=float, default=900.0)
    ap.add_argument("--child", choices=["plan", "steps", "others", "mcf-file"])
    ap.add_argument("--network", help="(with --child mcf-file) the saved reference network")
    ap.add_argument("--baseline", metavar="SRC", help="(with --versus-mcf) also time the planner in SRC, in turn")
    ap.add_argument("--versus-mcf", action="store_true",
                    help="only `sinfronteras plan` against one min-cost flow, process against process")
    ap.add_argument("--steps-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--stability-only", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(float(x)) for x in args.sizes.split(",")]
    if args.child == "mcf-file":
        return solve_network_file(args.network)
    if args.child:
        fn = child_plan if args.child in ("plan", "steps") else child_others
        extra = {"plan": (), "steps": (True,)}.get(args.child, (args.lp_budget,))
        print(json.dumps(fn(sizes[0], args.seed, *extra)))
        return 0
    print(f"machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if args.steps_only:
        _steps_table(sizes, args, {})
        return 0
    if args.stability_only:
        _stability_table(sizes, args)
        return 0
    if args.versus_mcf:
        _versus_table(sizes, args)
        return 0
    head = "| arcs | needs / offers | plan s | peak MB | max flows | 1 MCF s (same units) | 1 MCF s (whole units) | plan / MCF | staged LP s | LP / plan | greedy untouched t1/t2/t3/t4 (lowest) | plan untouched (lowest) |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    plans = {}
    for size in sizes:
        pl = plans[size] = _child("plan", size, args.seed, args.lp_budget)
        ot = _child("others", size, args.seed, args.lp_budget)
        if "lp_s" in ot:
            lp = f"{'>' if 'lp_over' in ot else ''}{ot['lp_s']:.1f} ({ot.get('lp_n', '?')} LPs)"
            ratio = f"{'>' if 'lp_over' in ot else ''}{ot['lp_s'] / pl['plan_s']:.0f}x"
        else:
            lp, ratio = "-", "-"
        print(
            f"| {ot['arcs']:,} | {pl['needs']:,} / {pl['offers']:,} | {pl['plan_s']:.2f} | {pl['peak_mb']:.0f} "
            f"| {pl['max_flows']} | {ot['mcf_s']:.2f} | {ot['mcf_whole_s']:.2f} | {pl['plan_s'] / ot['mcf_s']:.1f}x "
            f"| {lp} | {ratio} | {_greedy_cell(ot['greedy'])} | {_greedy_cell(pl['tiers'])} |",
            flush=True,
        )
    _steps_table(sizes, args, plans)
    _stability_table(sizes, args)
    return 0


def replan_figures(size: int, seed: int) -> dict:
    """A replan after one need in fifty grew by half: plan s without and with ``previous``."""
    from dataclasses import replace

    from sinfronteras.planning.model import Previous
    from sinfronteras.planning.solve import plan

    p, _ = instance(size, seed)
    first = plan(p)
    grown = tuple(replace(n, quantity=n.quantity * 1.5) if k % 50 == 0 else n for k, n in enumerate(p.needs))
    changed = replace(p, needs=grown)
    t = time.perf_counter()
    plain = plan(changed)
    plain_s = time.perf_counter() - t
    again = replace(changed, previous=tuple(Previous(a.offer, a.need, a.quantity) for a in first.allocations))
    t = time.perf_counter()
    stable = plan(again)
    stable_s = time.perf_counter() - t
    prev = {(a.offer, a.need): a.quantity for a in first.allocations}
    plain_kept = sum(min(a.quantity, prev.get((a.offer, a.need), 0.0)) for a in plain.allocations)
    return {"plain_s": plain_s, "stable_s": stable_s, "previous": stable.summary["previous"],
            "plain_kept": plain_kept}


def _stability_table(sizes, args) -> None:
    print()
    print("a replan (one need in fifty grown by half), without and with the previous plan:")
    head = "| arcs | plan s | plan s keeping the previous | stage cost | allocations kept | unchanged | quantity kept | kept by least distance alone |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for size in sizes:
        f = replan_figures(size, args.seed)
        pr = f["previous"]
        print(
            f"| {size:,} | {f['plain_s']:.2f} | {f['stable_s']:.2f} | {f['stable_s'] / f['plain_s']:.2f}x "
            f"| {pr['kept']:,} of {pr['matched']:,} | {pr['unchanged']:,} "
            f"| {pr['kept_quantity'] / max(pr['quantity'], 1e-9):.1%} "
            f"| {f['plain_kept'] / max(pr['quantity'], 1e-9):.1%} |",
            flush=True,
        )


def _best(kind: str, size: int, args, first: dict | None = None) -> dict:
    runs = [first] if first else []
    while len(runs) < args.repeat:
        runs.append(_child(kind, size, args.seed, args.lp_budget))
    return min(runs, key=lambda r: r["plan_s"])


def _steps_table(sizes, args, plans: dict) -> None:
    print()
    print("whole steps (items 1, kg 0.5, hours 0.5) beside the same problems without steps:")
    head = "| arcs | plan s | plan s with steps | peak MB | peak MB with steps | max flows with steps | roundings | untouched (lowest) | untouched with steps (lowest) |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for size in sizes:
        pl, wh = _best("plan", size, args, plans.get(size)), _best("steps", size, args)
        print(
            f"| {size:,} | {pl['plan_s']:.2f} | {wh['plan_s']:.2f} | {pl['peak_mb']:.0f} | {wh['peak_mb']:.0f} "
            f"| {wh['max_flows']} | {wh['roundings']} | {_greedy_cell(pl['tiers'])} | {_greedy_cell(wh['tiers'])} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
