"""On random profiles each rule agrees with a reference library.

References: pref_voting (Holliday and Pacuit, https://pref-voting.readthedocs.io)
for Schulze (``beat_path``), ranked pairs and instant runoff; pabutools
(https://pabutools.github.io) for Equal Shares with add1 and greedy. Both are
test-only dependencies. Where no library has the rule (STV, approval, score),
an independent count written here is the reference.
"""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest

from sinfronteras.choice import ApprovalProfile, Budget, Project, RankedProfile
from sinfronteras.choice.budget import equal_shares_add1, greedy
from sinfronteras.choice.ranked import instant_runoff, ranked_pairs, schulze, single_transferable_vote
from sinfronteras.choice.simple import approval

pv = pytest.importorskip("pref_voting")
pytest.importorskip("pabutools")

from pabutools.election import ApprovalBallot, Cost_Sat, Instance  # noqa: E402
from pabutools.election import ApprovalProfile as PabuProfile  # noqa: E402
from pabutools.election import Project as PabuProject  # noqa: E402
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares  # noqa: E402
from pref_voting.iterative_methods import instant_runoff_put  # noqa: E402
from pref_voting.margin_based_methods import beat_path  # noqa: E402
from pref_voting.margin_based_methods import ranked_pairs as pv_ranked_pairs  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402


def random_ranked(rng: random.Random, m: int, kinds: int) -> RankedProfile:
    ballots = []
    for _ in range(kinds):
        order = rng.sample(range(m), rng.randint(1, m))
        ballots.append(tuple((c,) for c in order))
    counts = [rng.randint(1, 6) for _ in ballots]
    return RankedProfile(tuple(f"c{k}" for k in range(m)), tuple(ballots), tuple(counts))


def to_pref_voting(profile: RankedProfile) -> ProfileWithTies:
    rankings = [{tier[0]: t + 1 for t, tier in enumerate(b)} for b in profile.ballots]
    prof = ProfileWithTies(rankings, rcounts=list(profile.counts), candidates=list(range(len(profile.candidates))))
    prof.use_extended_strict_preference()
    return prof


def winners_or_tied(result) -> set[str]:
    return {t[0] for t in result.tied} if result.tied else set(result.winners)


SEEDS = range(120)


@pytest.mark.parametrize("seed", SEEDS)
def test_ranked_rules_agree_with_pref_voting_on_random_profiles(seed):
    rng = random.Random(seed)
    profile = random_ranked(rng, rng.randint(2, 5), rng.randint(1, 9))
    ref = to_pref_voting(profile)
    name = lambda ws: {f"c{w}" for w in ws}  # noqa: E731
    assert winners_or_tied(schulze(profile)) == name(beat_path(ref))
    assert winners_or_tied(ranked_pairs(profile)) == name(pv_ranked_pairs(ref))
    assert winners_or_tied(instant_runoff(profile)) == name(instant_runoff_put(ref))


@pytest.mark.parametrize("seed", SEEDS)
def test_stv_with_one_seat_elects_the_instant_runoff_winner(seed):
    rng = random.Random(seed)
    profile = random_ranked(rng, rng.randint(2, 5), rng.randint(1, 9))
    assert single_transferable_vote(profile).winners == instant_runoff(profile).winners


@pytest.mark.parametrize("seed", range(40))
def test_stv_elects_every_candidate_whose_first_choices_reach_the_quota(seed):
    rng = random.Random(seed)
    profile = random_ranked(rng, 5, 8)
    seats = rng.randint(1, 3)
    quota = profile.num_voters // (seats + 1) + 1
    first = Counter()
    for ballot, count in zip(profile.ballots, profile.counts):
        first[profile.candidates[ballot[0][0]]] += count
    result = single_transferable_vote(profile, seats=seats)
    assert {c for c, v in first.items() if v >= quota} <= set(result.winners)
    assert len(result.winners) == seats


@pytest.mark.parametrize("seed", range(30))
def test_approval_matches_an_independent_count(seed):
    rng = random.Random(seed)
    m = 6
    ballots = tuple(frozenset(rng.sample(range(m), rng.randint(0, m))) for _ in range(15))
    profile = ApprovalProfile(tuple(f"c{k}" for k in range(m)), ballots, (1,) * len(ballots))
    scores = Counter(c for b in ballots for c in b)
    best = max(scores.get(c, 0) for c in range(m))
    assert {scores.get(int(w[1:]), 0) for w in approval(profile).winners} == {best}


def random_budget(rng: random.Random, voters: int, m: int) -> Budget:
    projects = tuple(Project(f"p{k:02d}", Fraction(rng.choice([1, 2, 3, 5, 8, 10, 20]) * 100)) for k in range(m))
    approvals = tuple(frozenset(rng.sample(range(m), rng.randint(1, m))) for _ in range(voters))
    limit = Fraction(rng.randint(2, 6) * 500)
    return Budget(projects, limit, approvals)


def to_pabutools(budget: Budget):
    projects = [PabuProject(p.id, int(p.cost)) for p in budget.projects]
    instance = Instance(projects, budget_limit=int(budget.limit))
    profile = PabuProfile([ApprovalBallot([projects[c] for c in b]) for b in budget.approvals])
    return instance, profile


@pytest.mark.parametrize("seed", range(25))
def test_equal_shares_add1_agrees_with_pabutools_on_random_budgets(seed):
    rng = random.Random(seed)
    budget = random_budget(rng, rng.randint(3, 12), rng.randint(2, 7))
    instance, profile = to_pabutools(budget)
    ref = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    ours = equal_shares_add1(budget)
    assert list(ours.winners) == [p.name for p in ref]
    assert ours.winners == equal_shares_add1(budget, in_fractions=True).winners


@pytest.mark.parametrize("seed", range(25))
def test_greedy_agrees_with_pabutools_on_random_budgets(seed):
    rng = random.Random(seed)
    budget = random_budget(rng, rng.randint(3, 12), rng.randint(2, 7))
    instance, profile = to_pabutools(budget)
    ref = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    voted = {c for b in budget.approvals for c in b}
    expected = {p.name for p in ref if budget.candidates.index(p.name) in voted}
    assert set(greedy(budget).winners) == expected
