"""``sinfronteras world --year Y [--min-pop N] [--radius-km R | --within continent] [--grid-deg D]
-o problem.json [--report report.html] [--json]``.

Builds the world food problem (format v1, see :mod:`sinfronteras.world.build` and
``docs/world.md``) and writes it to ``-o`` (``-``: standard output); with
``--report`` it also plans it and writes a page with the countries below the
need, the shortfall before and after, the largest flows across borders and two
maps drawn here. It prints what it built in a line (``--json``: as JSON; on
stderr when the problem goes to standard output). Bad input exits with status 2
and one line (``docs/cli.md``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import cliconv
from ..cliconv import UsageError as _UsageError
from .build import world_problem
from .report import report_html, summarise

PROG = "sinfronteras world"
EXAMPLE = """\
sinfronteras world --year 2017 --radius-km 1500 -o world.json --report world.html
sinfronteras plan world.json -o plan.json"""


def _parser():
    p = cliconv.parser(PROG, "The world food problem from FAO and GeoNames data.", EXAMPLE)
    p.add_argument("--year", type=int, required=True, help="FAO year, 1961-2017")
    p.add_argument("--min-pop", type=int, default=15000, help="one place per city of at least this many people")
    reach = p.add_mutually_exclusive_group()
    reach.add_argument("--radius-km", type=float, help="how far every offer reaches")
    reach.add_argument("--within", choices=["continent"], help="any distance within the continent")
    p.add_argument("--grid-deg", type=float, help="merge each country's places in cells of this many degrees")
    cliconv.add_output(p, "the problem (JSON, format v1)", required=True)
    p.add_argument("--report", metavar="FILE", help="also plan it and write this HTML report")
    cliconv.add_json(p, "what was built")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 done, 2 bad input, 1 internal error)."""
    return cliconv.run(PROG, _world, sys.argv[1:] if argv is None else argv, bad_input=(ValueError,))


def _world(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.radius_km is not None and args.radius_km < 0:
        raise _UsageError(f"--radius-km {args.radius_km}: a reach is 0 km or more")
    if args.grid_deg is not None and not 0 < args.grid_deg <= 180:
        raise _UsageError(f"--grid-deg {args.grid_deg}: a cell is more than 0 and at most 180 degrees")
    cliconv.check_output(args.output)
    world = world_problem(args.year, min_pop=args.min_pop, radius_km=args.radius_km,
                          within=args.within, grid_deg=args.grid_deg)
    cliconv.write(args.output, json.dumps(world.doc))
    out = sys.stderr if args.output == cliconv.STDOUT else sys.stdout
    built = built_json(world)
    lines = [built_line(world)]
    if args.report:
        # Deferred: the planner loads numpy (half a second); building the world alone and
        # `world --help` do without it.
        from sinfronteras.planning import Problem, plan

        facts = summarise(world, plan(Problem.from_json(world.doc)))
        reach = (f"offers reach {args.radius_km:g} km" if args.radius_km is not None
                 else "any distance within the continent" if args.within else "any distance")
        try:
            Path(args.report).write_text(report_html(world, facts, reach=reach), encoding="utf-8")
        except OSError as exc:
            raise _UsageError(f"--report {args.report}: cannot write: {exc.strerror or exc}") from None
        built.update(shortfall_before=facts.shortfall_before, shortfall_after=facts.shortfall_after)
        lines.append(f"shortfall {facts.shortfall_before:,.3f} Gkcal/day before, "
                     f"{facts.shortfall_after:,.3f} after the plan")
    print(cliconv.dumps(built) if args.json else "\n".join(lines), file=out)
    return 0


def built_line(world) -> str:
    """What was built, in a line."""
    return (f"{len(world.places):,} places, {len(world.doc['offers']):,} offers; supply "
            f"{world.supply():,.0f} Gkcal/day against a need of {world.need():,.0f}; "
            f"{len(world.below)} countries below 2,100 kcal "
            f"({sum(c.population for c in world.below) / 1e6:,.0f} M people), "
            f"{len(world.without_figure)} territories without a figure "
            f"({sum(c.population for c in world.without_figure) / 1e6:,.0f} M people)")


def built_json(world) -> dict:
    """What was built, as ``--json`` prints it (Gkcal/day; people)."""
    return {"year": world.year, "places": len(world.places), "offers": len(world.doc["offers"]),
            "supply": world.supply(), "need": world.need(),
            "below": [{"country": c.name, "iso": c.iso, "population": c.population} for c in world.below],
            "without_figure": [{"country": c.name, "iso": c.iso, "population": c.population}
                               for c in world.without_figure]}
