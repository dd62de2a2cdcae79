"""Count every shipped ballot file, and a city-sized ranked election, beside the reference libraries.

Prints one table: input, rule, our time, the reference library's time on the same
input (pref_voting for ranked rules, pabutools for budgets) when installed, and
whether the winners agree with it and with the published selection. Run by
hand: ``.venv/bin/python bench/bench_choice.py`` (``--no-reference`` skips the
slow reference counts; ``--voters``/``--candidates`` size the generated ranked
election, by default Minneapolis 2009 Park at-large: 379 candidates, 36,655
ballots, hundreds of write-ins tied at zero).

The last lines time the whole command ``sinfronteras tally --rule irv`` on the
generated election as a separate process: CPU seconds of the process, start-up
and file reading included (the issue's target: under 20 s).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from sinfronteras import data
from sinfronteras.choice import Budget, Project
from sinfronteras.choice.budget import equal_shares_add1, equal_shares_add1_comparison, greedy
from sinfronteras.choice.generate import city_ranked_election
from sinfronteras.choice.pabulib import read_pabulib
from sinfronteras.choice.preflib import read_preflib, write_preflib
from sinfronteras.choice.ranked import instant_runoff, ranked_pairs, schulze, single_transferable_vote

DATA = data.folder() / "voting"
BY_RULE = {"greedy": greedy, "greedy-no-skip": greedy, "greedy-threshold": greedy,
           "equalshares/add1": equal_shares_add1, "equalshares/add1-comparison": equal_shares_add1_comparison}


def generated_budget(voters: int, projects: int, seed: int = 2024) -> Budget:
    """A budget shaped like a city's: popular and unpopular projects, costs 5k-300k."""
    rng = random.Random(seed)
    appeal = [rng.uniform(0.03, 0.45) for _ in range(projects)]
    items = tuple(Project(f"p{k:02d}", Fraction(rng.randrange(5_000, 300_000, 500))) for k in range(projects))
    approvals = []
    for _ in range(voters):
        chosen = frozenset(k for k in range(projects) if rng.random() < appeal[k])
        approvals.append(chosen or frozenset({rng.randrange(projects)}))
    limit = Fraction(int(sum(p.cost for p in items) * 3 // 10))
    return Budget(items, limit, tuple(approvals))


def timed(fn, *args, **kw):
    start = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - start


def reference_file(path: Path, rule: str):
    """pabutools on the same file: greedy by welfare (votes or points), or Equal Shares add1."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    instance, profile = parse_pabulib(str(path))
    vote_type = instance.meta["vote_type"]
    if rule == "equalshares/add1":
        out = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    elif rule in ("greedy", "greedy-threshold", "greedy-no-skip") and vote_type in ("approval", "choose-1"):
        out = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        # No pabutools rule of that name: greedy by points (its welfare greedy ranks points per
        # unit of cost), thresholds, no-skip, the add1 comparison.
        return None
    return {p.name for p in out}


def reference_budget(budget: Budget, rule: str):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PabuProject
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    projects = [PabuProject(p.id, p.cost) for p in budget.projects]
    instance = Instance(projects, budget_limit=budget.limit)
    profile = ApprovalProfile([ApprovalBallot([projects[c] for c in b]) for b in budget.approvals])
    if rule == "mes-add1":
        out = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    else:
        out = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    return {p.name for p in out}


def reference_ranked(profile, rule: str):
    from pref_voting.iterative_methods import instant_runoff_put
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.margin_based_methods import ranked_pairs as rp
    from pref_voting.profiles_with_ties import ProfileWithTies

    rankings = [{c: t + 1 for t, tier in enumerate(b) for c in tier} for b in profile.ballots]
    prof = ProfileWithTies(rankings, rcounts=list(profile.counts), candidates=list(range(len(profile.candidates))))
    prof.use_extended_strict_preference()
    fn = {"schulze": beat_path, "ranked-pairs": rp, "irv": instant_runoff_put}[rule]
    return {profile.candidates[c] for c in fn(prof)}


def process_cpu(path: Path, rule: str) -> tuple[float, int]:
    """CPU seconds (user + system) of one ``sinfronteras tally`` process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "tally", str(path), "--rule", rule],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, run.returncode


def ranked_rows(args, rows) -> None:
    city = city_ranked_election(args.candidates, args.voters, seed=2009)
    inputs = [(name, read_preflib(DATA / "preflib" / name))
              for name in ("burlington_2009_mayor.toi", "aspen_2009_mayor.toi")]
    inputs.append((f"generated city: {args.candidates} candidates x {args.voters} ballots", city))
    for name, profile in inputs:
        for rule, fn in (("schulze", schulze), ("ranked-pairs", ranked_pairs), ("irv", instant_runoff)):
            result, ours = timed(fn, profile)
            slow = name.startswith("generated")  # the references try every tie order there: not run
            ref, ref_t = (None, None) if args.no_reference or slow else timed(reference_ranked, profile, rule)
            rows.append((name, rule, result.winners, ours, ref_t, ref, None))
        result, ours = timed(single_transferable_vote, profile, seats=3)
        rows.append((name, "stv (3 seats)", result.winners, ours, None, None, None))


def budget_rows(args, rows) -> None:
    for path in sorted((DATA / "pabulib").glob("*.pb")):
        budget = read_pabulib(path)
        rule = budget.meta.get("rule", "greedy")
        result, ours = timed(BY_RULE.get(rule, greedy), budget)
        ref, ref_t = (None, None) if args.no_reference else timed(reference_file, path, rule)
        published = {p.id for p in budget.projects if p.selected}
        rows.append((path.name, f"{rule} ({budget.vote_type})", result.winners, ours,
                     ref_t if ref is not None else None, ref, published or None))
    generated = generated_budget(2500, 25)
    for rule, fn in (("mes-add1", equal_shares_add1), ("greedy", greedy)):
        result, ours = timed(fn, generated)
        ref, ref_t = (None, None) if args.no_reference else timed(reference_budget, generated, rule)
        rows.append(("generated 2500 voters x 25 projects", rule, result.winners, ours, ref_t, ref, None))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--voters", type=int, default=36_655)
    parser.add_argument("--candidates", type=int, default=379)
    args = parser.parse_args(argv)
    rows: list = []
    ranked_rows(args, rows)
    budget_rows(args, rows)
    print(f"{'input':<58} {'rule':<30} {'ours (s)':>9} {'reference (s)':>14}  same as reference  same as published")
    for name, rule, winners, ours, ref_t, ref, published in rows:
        same = "-" if ref is None else ("yes" if set(winners) == ref else "NO")
        pub = "-" if published is None else ("yes" if set(winners) == published else "NO")
        ref_s = "-" if ref_t is None else f"{ref_t:.3f}"
        print(f"{name[:58]:<58} {rule[:30]:<30} {ours:>9.3f} {ref_s:>14}  {same:<17}  {pub}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "city.toi"
        path.write_text(write_preflib(city_ranked_election(args.candidates, args.voters, seed=2009)), encoding="utf-8")
        cpu, code = process_cpu(path, "irv")
        print(f"\nsinfronteras tally --rule irv on the generated city ({args.candidates} x {args.voters}): "
              f"{cpu:.2f} s CPU for the whole process, exit {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
