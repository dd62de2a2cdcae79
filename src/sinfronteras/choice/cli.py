"""``sinfronteras tally FILE --rule RULE [--seats N] [--json] [-o FILE]``: recount a ballot file.

Exit 0 with the winners and the rounds (``--json``: as JSON; ``-o FILE``: into
FILE); exit 2 with one line naming the line number and the problem for a bad
file (never a traceback). See ``docs/cli.md``.

Examples
--------
>>> main(["/nonexistent.toi", "--rule", "irv"])
2
"""

from __future__ import annotations

import sys
from fractions import Fraction

from .. import cliconv

from .budget import equal_shares_add1, equal_shares_add1_comparison, greedy
from .model import ApprovalProfile, BallotFileError, Budget, RankedProfile, Result, ScoreProfile, exact
from .pabulib import read_pabulib
from .preflib import read_preflib
from .ranked import instant_runoff, ranked_pairs, schulze, single_transferable_vote
from .simple import approval, score

RANKED = {"schulze": schulze, "ranked-pairs": ranked_pairs, "irv": instant_runoff, "stv": single_transferable_vote}
BUDGET = {"mes-add1": equal_shares_add1, "mes-add1-comparison": equal_shares_add1_comparison, "greedy": greedy}
RULES = (*RANKED, "approval", "score", *BUDGET)
PROG = "sinfronteras tally"
EXAMPLE = """\
sinfronteras tally burlington_2009_mayor.toi --rule irv
sinfronteras tally assen.pb --rule mes-add1 --json -o result.json"""


def _as_approval(profile) -> ApprovalProfile:
    if isinstance(profile, Budget):
        return ApprovalProfile(profile.candidates, profile.approvals, (1,) * profile.num_voters)
    sets = tuple(frozenset(c for tier in b for c in tier) for b in profile.ballots)
    return ApprovalProfile(profile.candidates, sets, profile.counts)


def _as_score(profile) -> ScoreProfile:
    if isinstance(profile, Budget) and profile.points:
        return ScoreProfile(profile.candidates, profile.points, (1,) * profile.num_voters)
    ap = _as_approval(profile)
    ballots = tuple(tuple((c, Fraction(1)) for c in sorted(b)) for b in ap.ballots)
    return ScoreProfile(ap.candidates, ballots, ap.counts)


def count(profile, rule: str, seats: int = 1) -> Result:
    """Run ``rule`` on a parsed file; ValueError when the rule does not fit the file."""
    if rule in RANKED:
        if not isinstance(profile, RankedProfile):
            raise ValueError(f"rule {rule} needs ranked ballots (.soi/.toi); for a participatory budget use "
                             "greedy, mes-add1 or mes-add1-comparison")
        return RANKED[rule](profile, seats=seats)
    if rule in BUDGET:
        if not isinstance(profile, Budget):
            raise ValueError(f"rule {rule} needs a participatory budget (.pb); for ranked ballots use "
                             "schulze, ranked-pairs, irv or stv")
        return BUDGET[rule](profile)
    if rule == "approval":
        return approval(_as_approval(profile), seats=seats)
    return score(_as_score(profile), seats=seats)


def _names(profile, ids) -> list[str]:
    if isinstance(profile, Budget):
        by_id = {p.id: p.name or p.id for p in profile.projects}
        return [by_id[i] for i in ids]
    return list(ids)


def to_json(result: Result, profile) -> dict:
    """The result as plain JSON data (exact numbers as ints or 'a/b' text)."""
    def plain(x):
        if isinstance(x, dict):
            return {str(k): plain(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        return exact(x) if isinstance(x, Fraction) else (int(x) if hasattr(x, "item") else x)

    return {
        "rule": result.rule,
        "winners": _names(profile, result.winners),
        "ids": list(result.winners),
        "tied": [list(t) for t in result.tied],
        "rounds": [{"round": r.number, "tallies": plain(dict(r.tallies)), "elected": list(r.elected),
                    "eliminated": list(r.eliminated), "note": r.note} for r in result.rounds],
        "details": plain(dict(result.details)),
        "warnings": list(getattr(profile, "warnings", ())),
    }


def _text(result: Result, profile) -> str:
    lines = [f"rule: {result.rule}", "winners: " + "; ".join(_names(profile, result.winners))]
    if result.tied:
        lines.append("tied outcomes (broken by the tie-break): " + " | ".join(", ".join(t) for t in result.tied))
    for r in result.rounds:
        tallies = ", ".join(f"{k} {exact(v)}" for k, v in r.tallies.items())
        what = [f"elected {', '.join(r.elected)}"] if r.elected else []
        what += [f"eliminated {', '.join(r.eliminated)}"] if r.eliminated else []
        what += [r.note] if r.note else []
        lines.append(f"round {r.number}: {tallies}" + (f" -> {'; '.join(what)}" if what else ""))
    for key, value in result.details.items():
        if not isinstance(value, dict):
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def read_ballots(path: str):
    """Parse a ``.pb`` or PrefLib file, chosen by its extension."""
    return read_pabulib(path) if path.lower().endswith(".pb") else read_preflib(path)


def _parser():
    p = cliconv.parser(PROG, "Recount a PrefLib (.soi/.toi/...) or Pabulib (.pb) ballot file.", EXAMPLE)
    p.add_argument("file", help="the ballot file")
    p.add_argument("--rule", choices=RULES, default="schulze", help="the counting rule (default %(default)s)")
    p.add_argument("--seats", type=int, default=1, help="how many to elect (default %(default)s)")
    cliconv.add_output(p, "the result")
    cliconv.add_json(p)
    return p


def _tally(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.seats < 1:
        raise cliconv.UsageError(f"--seats {args.seats}: elect at least 1")
    cliconv.check_output(args.output)
    try:
        profile = read_ballots(args.file)
        result = count(profile, args.rule, args.seats)
    except BallotFileError as err:
        raise cliconv.UsageError(f"{args.file}: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise cliconv.UsageError(f"{args.file}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    except (RecursionError, MemoryError, ArithmeticError) as err:
        raise cliconv.UsageError(f"{args.file}: rule {args.rule} cannot count this file: "
                                 f"{type(err).__name__}") from None
    for line in getattr(profile, "warnings", ()):
        print(f"{PROG}: warning: {args.file}: {line}", file=sys.stderr)
    cliconv.write(args.output, cliconv.dumps(to_json(result, profile)) if args.json else _text(result, profile))
    return 0


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (0 done, 2 bad input, 1 internal error)."""
    return cliconv.run(PROG, _tally, argv, bad_input=(ValueError,))
