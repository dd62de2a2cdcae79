"""Time the economy planner on seeded sparse economies; print one table.

Each row runs in a fresh process (so peak memory is its own): build a random
cyclic economy of n products with 10-20 inputs each (``random_economy``), then
either labour values and gross output (``values``), or a tiered leximin plan
with a labour budget (90 % of what the full demand takes) and 5 % of products
capped at 50-95 % of their full gross output (``plan``), one demand per product
in tiers 1-4. CPU seconds exclude building the economy. ``--check-lp`` also
solves the plan by the independent LP of the tests and prints the largest
difference of a fraction.

Run: ``.venv/bin/python bench/bench_economy.py [--sizes values:1e5,values:1e6,plan:1e4,plan:1e5]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

#: Published anchors, printed beside our figures (not measured here).
ANCHORS = [
    ("Cockshott's harmony planner (wc22m/5yearplan), 1,600 sectors, measured here", "15.8 s"),
    ("Samothrakis (2020), 50,000 goods, triangular (acyclic) economy", "5.7 s"),
]


def one(kind: str, n: int, check_lp: bool) -> dict:
    import numpy as np

    from sinfronteras.economy import Demand, plan_economy
    from sinfronteras.economy.synthetic import random_economy

    economy, final = random_economy(n, seed=n)
    economy.sparse  # noqa: B018 - built before the clock starts
    start = time.process_time()
    out = {"kind": kind, "n": n, "nnz": int(economy.sparse.nnz)}
    if kind == "values":
        v = economy.labour_values()
        x = economy.gross_output(final)
        out["identity"] = float(abs(economy.labour @ x - v @ final) / abs(v @ final))
    else:
        demands = [Demand(f"d{k}", k, float(final[k]), 1 + k % 4) for k in range(n)]
        full = economy.gross_output(final)
        rng = np.random.default_rng(n)
        capped = rng.choice(n, size=max(1, n // 20), replace=False)
        capacities = {int(c): float(full[c] * rng.uniform(0.5, 0.95)) for c in capped}
        labour = 0.9 * float(economy.labour @ full)
        plan = plan_economy(economy, demands, labour_available=labour, capacities=capacities)
        out.update(rows=plan.capacity_rows, lowest={t: round(min(v), 4) for t, v in plan.tier_levels.items()})
        if check_lp:
            sys.path.insert(0, "tests/economy")
            from economy_oracle import leximin_by_lp

            lp_start = time.process_time()
            oracle = leximin_by_lp(economy.sparse, economy.labour, demands, labour=labour,
                                   capacities=capacities)
            out["lp_s"] = round(time.process_time() - lp_start, 2)
            out["lp_diff"] = float(np.abs(oracle - plan.fractions).max())
    out["cpu_s"] = round(time.process_time() - start, 3) - out.get("lp_s", 0)
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="values:1e5,values:1e6,plan:1e4,plan:1e5")
    parser.add_argument("--check-lp", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, n = args.one.split(":")
        print(json.dumps(one(kind, int(float(n)), args.check_lp)))
        return
    print("| run | n | non-zeros | CPU s | peak MB | notes |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        command = [sys.executable, __file__, "--one", size] + (["--check-lp"] if args.check_lp else [])
        r = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        if r["kind"] == "values":
            notes = f"labour identity {r['identity']:.1e}"
        else:
            notes = f"{r['rows']} capacity rows; lowest per tier {r['lowest']}"
            if "lp_diff" in r:
                notes += f"; LP {r['lp_s']} s, max difference {r['lp_diff']:.1e}"
        label = "labour values + gross output" if r["kind"] == "values" else "tiered leximin, labour + 5 % capped"
        print(f"| {label} | {r['n']:,} | {r['nnz']:,} | {r['cpu_s']:.2f} | {r['peak_mb']:,} | {notes} |")
    for what, figure in ANCHORS:
        print(f"| anchor: {what} | | | {figure} | | published |")


if __name__ == "__main__":
    main()
