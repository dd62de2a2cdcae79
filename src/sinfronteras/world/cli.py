"""``sinfronteras world --year Y [--min-pop N] [--radius-km R | --within continent] [--grid-deg D]
-o problem.json [--report report.html]``.

Builds the world food problem (format v1, see :mod:`sinfronteras.world.build` and
``docs/world.md``) and writes it; with ``--report`` it also plans it and writes a
page with the countries below the need, the shortfall before and after, the
largest flows across borders and two maps drawn here. Bad input exits with
status 2 and one line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..oneline import Parser as _Parser
from ..oneline import UsageError as _UsageError
from .build import world_problem
from .report import report_html, summarise


def _parser():
    p = _Parser(prog="sinfronteras world", description="The world food problem from FAO and GeoNames data.")
    p.add_argument("--year", type=int, required=True, help="FAO year, 1961-2017")
    p.add_argument("--min-pop", type=int, default=15000, help="one place per city of at least this many people")
    reach = p.add_mutually_exclusive_group()
    reach.add_argument("--radius-km", type=float, help="how far every offer reaches")
    reach.add_argument("--within", choices=["continent"], help="any distance within the continent")
    p.add_argument("--grid-deg", type=float, help="merge each country's places in cells of this many degrees")
    p.add_argument("-o", "--output", required=True, help="where to write the problem (JSON, format v1)")
    p.add_argument("--report", help="also plan it and write this HTML report")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.radius_km is not None and args.radius_km < 0:
            raise _UsageError(f"--radius-km {args.radius_km}: a reach is 0 km or more")
        if args.grid_deg is not None and not 0 < args.grid_deg <= 180:
            raise _UsageError(f"--grid-deg {args.grid_deg}: a cell is more than 0 and at most 180 degrees")
        world = world_problem(args.year, min_pop=args.min_pop, radius_km=args.radius_km,
                              within=args.within, grid_deg=args.grid_deg)
    except (_UsageError, ValueError) as exc:
        print(f"sinfronteras world: {exc}", file=sys.stderr)
        return 2
    Path(args.output).write_text(json.dumps(world.doc), encoding="utf-8")
    print(f"{len(world.places):,} places, {len(world.doc['offers']):,} offers; supply "
          f"{world.supply():,.0f} Gkcal/day against a need of {world.need():,.0f}; "
          f"{len(world.below)} countries below 2,100 kcal "
          f"({sum(c.population for c in world.below) / 1e6:,.0f} M people), "
          f"{len(world.without_figure)} territories without a figure "
          f"({sum(c.population for c in world.without_figure) / 1e6:,.0f} M people)")
    if args.report:
        # Deferred: the planner loads numpy (half a second); building the world alone and
        # `world --help` do without it.
        from sinfronteras.planning import Problem, plan

        facts = summarise(world, plan(Problem.from_json(world.doc)))
        reach = (f"offers reach {args.radius_km:g} km" if args.radius_km is not None
                 else "any distance within the continent" if args.within else "any distance")
        Path(args.report).write_text(report_html(world, facts, reach=reach), encoding="utf-8")
        print(f"shortfall {facts.shortfall_before:,.3f} Gkcal/day before, "
              f"{facts.shortfall_after:,.3f} after the plan")
    return 0
