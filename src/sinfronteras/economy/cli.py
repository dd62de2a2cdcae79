"""``sinfronteras economy TABLE.csv [--labour-available L] [--capacities F] [--demands F] [-o FILE] [--json]``.

Prints one line per product (output multiplier, labour coefficient, labour value,
gross output for the table's final demand) and, with a labour budget or
capacities, the plan: each tier's lowest fraction, labour needed against
offered, and the bottlenecks in words. ``--json`` prints the keys documented in
``docs/economy.md`` instead; ``-o FILE`` writes either to FILE. The old
``--json OUT`` (JSON to OUT, the lines on standard output) still works for one
release and says so on stderr. Bad input exits with status 2 and one line naming
the file, row and column (``docs/cli.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .. import cliconv
from ..cliconv import UsageError as _UsageError
from . import report
from .errors import EconomyError, TableError
from .leontief import Economy
from .plan import Demand, plan_economy
from .rows import csv_rows as _csv_rows
from .rows import number as _number
from .table import read_table

PROG = "sinfronteras economy"
EXAMPLE = """\
sinfronteras economy croatia_2010_siot.csv --labour-available 5e7 --rows 10
sinfronteras economy table.csv --demands demands.csv --capacities caps.csv -o result.json --json"""


def _parser() -> argparse.ArgumentParser:
    p = cliconv.parser(PROG, "Input-output planning: multipliers, labour values, and a fair plan.", EXAMPLE)
    p.add_argument("table", nargs="?", help="input-output table (plain CSV or Eurostat layout)")
    p.add_argument("--labour-available", type=float, metavar="L",
                   help="labour offered, in the unit of the table's D1 row")
    p.add_argument("--capacities", metavar="FILE", help="CSV code,capacity: most gross output")
    p.add_argument("--demands", metavar="FILE", help="CSV id,code,quantity,tier (tiers 1-4)")
    p.add_argument("--needs-from-collective", metavar="NAME",
                   help="the open needs of a collective as demands (needs --mapping)")
    p.add_argument("--mapping", metavar="FILE",
                   help="CSV resource,code,factor: a need of RESOURCE is FACTOR units of product CODE per unit")
    cliconv.add_output(p, "the lines, or the JSON with --json,")
    cliconv.add_json(p, nargs="?", const=True, default=False, metavar="OUT",
                     what="the result (the old --json OUT, which wrote OUT, still works for one release)")
    p.add_argument("--rows", type=int, default=None, help="print at most this many product lines")
    return p


def _product(index, path, line, code):
    if code not in index:
        raise TableError(f"{path} row {line}, column code", f"unknown product code {code!r}")
    return index[code]


def read_demands(path: str, codes) -> list:
    """Demands from ``id,code,quantity,tier`` rows."""
    index = {c: k for k, c in enumerate(codes)}
    out, seen = [], set()
    for line, row in _csv_rows(path, ("id", "code", "quantity", "tier")):
        ident = (row["id"] or "").strip()
        if not ident or ident in seen:
            raise TableError(f"{path} row {line}, column id", "ids must be present and unique")
        seen.add(ident)
        quantity = _number(path, line, "quantity", row["quantity"])
        tier = _number(path, line, "tier", row["tier"], integer=True)
        if quantity < 0 or tier not in (1, 2, 3, 4):
            bad = "quantity" if quantity < 0 else "tier"
            raise TableError(f"{path} row {line}, column {bad}",
                             "quantity must be 0 or more" if bad == "quantity" else "tier must be 1 to 4")
        out.append(Demand(ident, _product(index, path, line, (row["code"] or "").strip()), quantity, tier))
    return out


def read_capacities(path: str, codes) -> dict[int, float]:
    """Capacities from ``code,capacity`` rows."""
    index = {c: k for k, c in enumerate(codes)}
    out = {}
    for line, row in _csv_rows(path, ("code", "capacity")):
        product = _product(index, path, line, (row["code"] or "").strip())
        value = _number(path, line, "capacity", row["capacity"])
        if value < 0:
            raise TableError(f"{path} row {line}, column capacity", "capacity must be 0 or more")
        out[product] = value
    return out


def table_demands(table) -> tuple[list, list[str]]:
    """Each product's final demand as one demand of tier 1; negative ones are not planned."""
    negative = int((table.final_demand < 0).sum())
    notes = [f"note: {negative} products have a negative final demand (net of imports): the plan "
             "treats them as no demand; the gross output above uses the table as published"] if negative else []
    return [Demand(code, k, max(0.0, float(d)), 1) for k, (code, d) in
            enumerate(zip(table.codes, table.final_demand))], notes


def _old_spellings(args) -> str | None:
    """Read the old ``--json OUT`` / ``--json -``; the JSON file it names, if any."""
    if args.json is True or args.json is False:
        return None
    if args.table is None:  # `economy --json TABLE.csv`: the table, and JSON on standard output
        args.table, args.json = args.json, True
        return None
    old, args.json = args.json, True
    if args.output:
        raise _UsageError(f"--json {old}: give either -o FILE --json or the old --json OUT, not both")
    if old == cliconv.STDOUT:
        cliconv.deprecated(PROG, "--json -", "--json")
        return None
    cliconv.deprecated(PROG, "--json OUT", "-o OUT --json")
    return old


def run(args, collective_demands=None) -> int:
    json_file = _old_spellings(args)
    if args.table is None:
        raise _UsageError("the following arguments are required: table")
    cliconv.check_output(json_file or args.output)
    table = read_table(args.table)
    economy = Economy.from_table(table)
    economy.check_productive()
    notes = table.notes()
    result = report.analysis(economy, table.final_demand)
    result["notes"] = notes
    lines = report.table_lines(economy, result, args.rows)
    if args.labour_available is not None or args.capacities:
        if args.needs_from_collective:
            if not args.mapping:
                raise _UsageError("--needs-from-collective needs --mapping FILE (resource,code,factor)")
            demands = collective_demands(args.needs_from_collective, args.mapping, table.codes)
        elif args.demands:
            demands = read_demands(args.demands, table.codes)
        else:
            demands, more = table_demands(table)
            notes.extend(more)
        capacities = read_capacities(args.capacities, table.codes) if args.capacities else None
        plan = plan_economy(economy, demands, labour_available=args.labour_available,
                            capacities=capacities)
        result.update(report.plan_json(plan, demands))
        lines.extend(report.plan_lines(plan))
    text = json.dumps(result, indent=None, allow_nan=False)
    if json_file:  # the old spelling: the JSON to its file, the lines on standard output
        cliconv.write(json_file, text)
        cliconv.write(None, "\n".join(lines))
    else:
        cliconv.write(args.output, text if args.json else "\n".join(lines))
    for note in notes:
        print(note, file=sys.stderr)
    return 0


def main(argv: list[str] | None = None, collective_demands=None) -> int:
    """Entry point; ``collective_demands(name, mapping, codes)`` comes from the project's command."""
    argv = sys.argv[1:] if argv is None else argv
    return cliconv.run(PROG, lambda a: run(_parser().parse_args(a), collective_demands), argv,
                       bad_input=(EconomyError,))
