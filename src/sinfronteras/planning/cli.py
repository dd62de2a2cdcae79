"""``sinfronteras plan PROBLEM.json [-o PLAN.json] [--json] [--compare greedy] [--sparse-core | --full] [--ray [ADDRESS]]``.

``--sparse-core`` plans on a certified core of arcs (the same ``met`` and
distance without holding every arc; used by itself above a size), ``--full``
builds every arc, ``--ray`` runs the sparse core's searches on Ray (a local
Ray, or the cluster at ADDRESS).

``-o FILE`` writes plan format v1 (``-``: standard output). The command prints,
per tier, how many needs there are, how many are fully met, how many got
nothing, and the lowest fulfilled fraction, then the total distance, and, when
the problem has ``previous`` allocations (a replan), how much of them the plan
kept; ``--json`` prints that summary as JSON instead. When the plan goes to
standard output the summary goes to stderr. Bad input exits with status 2 and
one line naming the entry (``docs/cli.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import orjson

from .. import cliconv
from ..cliconv import UsageError as _UsageError
from .errors import ProblemError

PROG = "sinfronteras plan"
EXAMPLE = """\
sinfronteras plan problem.json -o plan.json --compare greedy
sinfronteras plan problem.json -o - --json > plan.json 2> summary.json"""
TIER_NAMES = {"1": "basic, urgent", "2": "basic", "3": "other, urgent", "4": "other"}
PROGRESS_AFTER_S = 2.0


def _parser() -> argparse.ArgumentParser:
    p = cliconv.parser(PROG, "Compute the fairest plan for a problem (format v1).", EXAMPLE)
    p.add_argument("problem", help="problem document (JSON, format v1; '-': standard input)")
    cliconv.add_output(p, "the plan (JSON, format v1)")
    cliconv.add_json(p, "the per-tier summary")
    p.add_argument("--compare", choices=["greedy"], help="also show what one-request-at-a-time matching does")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--sparse-core", dest="mode", action="store_const", const="sparse",
                     help="plan on a certified sparse core of arcs (default above a size)")
    how.add_argument("--full", dest="mode", action="store_const", const="full", help="build every arc")
    p.add_argument("--ray", nargs="?", const=True, default=None, metavar="ADDRESS",
                   help="run the sparse core's searches on Ray: a local one, or the cluster at ADDRESS")
    p.set_defaults(mode="auto")
    return p


def _load(path: str):
    from .model import Problem  # deferred with numpy: `plan --help` and usage errors answer without them

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError:
        doc = None  # read again by the standard module: its messages, NaN and huge integers as before
    try:
        doc = json.loads(text) if doc is None else doc
    except json.JSONDecodeError as exc:
        raise _UsageError(f"{path}: malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return Problem.from_json(doc)


class _Progress:
    """Prints stage messages on stderr once a run has taken a few seconds."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self, msg: str) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed >= PROGRESS_AFTER_S:
            print(f"[{elapsed:6.1f}s] {msg}", file=sys.stderr, flush=True)


def format_table(summary: dict, other: dict | None = None, other_name: str = "greedy") -> str:
    """The per-tier table of a plan summary, optionally beside another's.

    >>> s = {"tiers": {"1": {"needs": 2, "fully_met": 2, "untouched": 0, "min_fraction": 1.0}}, "distance_km": 3.5}
    >>> print(format_table(s))
    tier               needs  fully met  untouched  lowest fraction
    1 basic, urgent        2          2          0           1.0000
    distance: 3.500 km
    """
    head = f"{'tier':<17}{'needs':>7}{'fully met':>11}{'untouched':>11}{'lowest fraction':>17}"
    if other is not None:
        head += f"  | {other_name + ' fully met':>17}{'untouched':>11}{'lowest':>9}"
    lines = [head]
    for t, row in summary["tiers"].items():
        line = f"{t + ' ' + TIER_NAMES[t]:<17}{row['needs']:>7}{row['fully_met']:>11}{row['untouched']:>11}"
        line += f"{row['min_fraction']:>17.4f}"
        if other is not None:
            g = other["tiers"][t]
            line += f"  | {g['fully_met']:>17}{g['untouched']:>11}{g['min_fraction']:>9.4f}"
        lines.append(line)
    dist = f"distance: {summary['distance_km']:.3f} km"
    if other is not None:
        dist += f"  ({other_name}: {other['distance_km']:.3f} km)"
    lines.append(dist)
    return "\n".join(lines)


def _run(args) -> int:
    cliconv.check_output(args.output)
    from .greedy import greedy  # deferred with numpy and the planner, as in _load
    from .solve import plan

    progress = _Progress()
    problem = _load(args.problem)
    progress(f"read {len(problem.needs)} needs and {len(problem.offers)} offers")
    if args.ray and args.mode == "full":
        raise _UsageError("--ray plans on a sparse core: leave out --full")
    result = plan(problem, progress=progress, mode=args.mode, ray=args.ray)
    if args.output:
        progress("writing the plan")
        cliconv.write(args.output, result.dumps())
    if args.compare == "greedy":
        progress("one-request-at-a-time matching, for comparison")
    other = greedy(problem).summary if args.compare == "greedy" else None
    out = sys.stderr if args.output == cliconv.STDOUT else sys.stdout
    if args.json:
        print(cliconv.dumps(summary_json(result.summary, other)), file=out)
        return 0
    print(format_table(result.summary, other), file=out)
    if "previous" in result.summary:
        print(kept_line(result.summary["previous"]), file=out)
    return 0


def summary_json(summary: dict, other: dict | None = None) -> dict:
    """What ``--json`` prints: the plan's summary, and greedy's under ``compare`` when asked for.

    >>> summary_json({"tiers": {}, "distance_km": 0.0}, {"tiers": {}, "distance_km": 1.0})
    {'tiers': {}, 'distance_km': 0.0, 'compare': {'greedy': {'tiers': {}, 'distance_km': 1.0}}}
    """
    return {**summary, "compare": {"greedy": other}} if other is not None else dict(summary)


def kept_line(prev: dict) -> str:
    """What a replan kept of the previous plan, in one line.

    >>> kept_line({"given": 5, "matched": 4, "kept": 3, "unchanged": 2, "quantity": 10.0, "kept_quantity": 7.5})
    'previous plan: kept 3 of 4 allocations (2 unchanged), 7.5 of 10 units; 1 no longer possible'
    """
    line = (f"previous plan: kept {prev['kept']} of {prev['matched']} allocations ({prev['unchanged']} unchanged), "
            f"{prev['kept_quantity']:g} of {prev['quantity']:g} units")
    gone = prev["given"] - prev["matched"]
    return line + (f"; {gone} no longer possible" if gone else "")


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input, 1 internal error)."""
    return cliconv.run(PROG, _main, argv)


def _main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ProblemError as exc:  # the problem's own words, after the file's name
        raise _UsageError(f"{args.problem}: {exc}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
