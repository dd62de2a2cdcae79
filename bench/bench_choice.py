"""Time the counting rules on the real ballot files and a generated budget.

Prints one table: file, rule, our time, the reference library's time on the same
input (pref_voting for ranked rules, pabutools for budgets) when installed, and
whether the winners agree. Run: ``.venv/bin/python bench/bench_choice.py``
(``--no-reference`` skips the slow reference counts; ``--voters``/``--projects``
size the generated budget).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction

from sinfronteras import data
from sinfronteras.choice import Budget, Project
from sinfronteras.choice.budget import equal_shares_add1, greedy
from sinfronteras.choice.pabulib import read_pabulib
from sinfronteras.choice.preflib import read_preflib
from sinfronteras.choice.ranked import instant_runoff, ranked_pairs, schulze

DATA = data.folder() / "voting"


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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--voters", type=int, default=2500)
    parser.add_argument("--projects", type=int, default=25)
    args = parser.parse_args(argv)
    rows = []
    for name in ("burlington_2009_mayor.toi", "aspen_2009_mayor.toi"):
        profile = read_preflib(DATA / "preflib" / name)
        for rule, fn in (("schulze", schulze), ("ranked-pairs", ranked_pairs), ("irv", instant_runoff)):
            result, ours = timed(fn, profile)
            ref, ref_t = (None, None) if args.no_reference else timed(reference_ranked, profile, rule)
            rows.append((name, rule, result.winners, ours, ref_t, ref))
    budgets = [(p.name, read_pabulib(p)) for p in sorted((DATA / "pabulib").glob("*.pb"))]
    budgets.append((f"generated {args.voters} voters x {args.projects} projects",
                    generated_budget(args.voters, args.projects)))
    for name, budget in budgets:
        for rule, fn in (("mes-add1", equal_shares_add1), ("greedy", greedy)):
            result, ours = timed(fn, budget)
            ref, ref_t = (None, None) if args.no_reference else timed(reference_budget, budget, rule)
            rows.append((name, rule, result.winners, ours, ref_t, ref))
    print(f"{'input':<58} {'rule':<13} {'ours (s)':>9} {'reference (s)':>14}  same winners")
    for name, rule, winners, ours, ref_t, ref in rows:
        same = "-" if ref is None else ("yes" if set(winners) == ref else "NO")
        ref_s = "-" if ref_t is None else f"{ref_t:.3f}"
        print(f"{name[:58]:<58} {rule:<13} {ours:>9.3f} {ref_s:>14}  {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
