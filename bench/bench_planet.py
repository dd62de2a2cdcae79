"""Benchmark of the planner at planet scale: world food problems, full beside sparse core.

Each row plans one world food problem (FAO 2017, GeoNames cities,
:func:`sinfronteras.world.build.world_problem`) in a fresh process per mode
and prints the plan's CPU seconds (the planning process; with ``--ray`` also
the Ray workers it started, as Ray reports them), its wall seconds, the peak
RSS of that process, and whether every need's ``met`` (in quantity units) and
the integer total distance (in the planner's cost unit) are identical to the
first mode's of that row.

Usage: ``python bench/bench_planet.py [--rows 15000:500,15000:1500,5000:500,15000:continent]``
``[--modes full,sparse,ray] [--full-rows 15000:500]`` (full only on the rows
named there: the others do not fit in memory).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def problem(min_pop: int, reach: str):
    from sinfronteras.planning import Problem
    from sinfronteras.world.build import world_problem

    if reach == "continent":
        doc = world_problem(2017, min_pop=min_pop, within="continent").doc
    else:
        doc = world_problem(2017, min_pop=min_pop, radius_km=float(reach)).doc
    return Problem.from_json(doc)


def child(row: str, mode: str, out: str) -> None:
    import numpy as np

    from sinfronteras.planning import plan
    from sinfronteras.planning.certify import cost_decimals
    from sinfronteras.planning.solve import in_steps, scale_quantities

    min_pop, reach = row.split(":")
    p = problem(int(min_pop), reach)
    a = p.arrays
    t0, w0 = time.process_time(), time.monotonic()
    kw = {"mode": "full"} if mode == "full" else {"mode": "sparse", "ray": True if mode == "ray" else None}
    r = plan(p, **kw)
    cpu, wall = time.process_time() - t0, time.monotonic() - w0
    ray_cpu = 0.0
    if mode == "ray":
        from sinfronteras.planning import planet

        ray_cpu = planet.LAST_ACTOR_CPU_S  # the actors' CPU, beside the driver's
    sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
    k = cost_decimals(a, sc.offer)
    res = r.summary["quantity_resolution"]
    units = np.rint(r.alloc_quantity / res).astype(np.int64)
    dist = int(np.dot(units, np.rint(r.alloc_km * 10.0**k).astype(np.int64)))
    met = np.rint(r.met / res).astype(np.int64)
    np.save(out + ".npy", met)
    core = r.summary.get("sparse_core", {})
    info = {
        "cpu_s": cpu + ray_cpu,
        "wall_s": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "distance": dist,
        "needs": len(met),
        "core_arcs": core.get("arcs"),
        "max_flows": r.summary["max_flows"],
        "unmet": int((r.fraction < 1).sum()),
    }
    with open(out, "w") as f:
        json.dump(info, f)


def run(row: str, mode: str, tmp: str) -> dict:
    out = os.path.join(tmp, f"{row.replace(':', '_')}_{mode}.json")
    cmd = [sys.executable, __file__, "--child", row, mode, out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    with open(out) as f:
        info = json.load(f)
    info["met_file"] = out + ".npy"
    return info


def arcs_of(row: str) -> float:
    from sinfronteras.planning.sparse import estimate_arcs

    min_pop, reach = row.split(":")
    return estimate_arcs(problem(int(min_pop), reach).arrays)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="15000:500,15000:1500,5000:500")
    ap.add_argument("--modes", default="full,sparse,ray")
    ap.add_argument("--full-rows", default="15000:500")
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    import numpy as np

    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| cities ≥ | reach | arcs (est.) | mode | CPU s | wall s | peak MB | core arcs | max flows | same met | same distance |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    full_rows = set(args.full_rows.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        for row in args.rows.split(","):
            est = arcs_of(row)
            first = None
            for mode in args.modes.split(","):
                if mode == "full" and row not in full_rows:
                    continue
                info = run(row, mode, tmp)
                min_pop, reach = row.split(":")
                head = f"| {int(min_pop):,} | {reach}{' km' if reach != 'continent' else ''} | {est / 1e6:.0f} M | {mode} "
                if "error" in info:
                    print(head + f"| failed: {info['error']} |||||||", flush=True)
                    continue
                if first is None:
                    first = info
                    same_met = same_d = "(reference)"
                else:
                    same_met = "yes" if np.array_equal(np.load(first["met_file"]), np.load(info["met_file"])) else "NO"
                    same_d = "yes" if first["distance"] == info["distance"] else "NO"
                core = f"{info['core_arcs']:,}" if info["core_arcs"] else "all"
                print(
                    head + f"| {info['cpu_s']:.1f} | {info['wall_s']:.1f} | {info['peak_mb']:,.0f} | {core} "
                    f"| {info['max_flows']} | {same_met} | {same_d} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
