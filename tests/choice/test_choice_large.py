"""Large ranked elections: IRV in polynomial time, ranked pairs without recursion.

The city-sized election is generated (seeded) in the shape of Minneapolis 2009
Park at-large: 379 candidates, 36,655 ballots, hundreds of write-ins tied at
zero. Its timing is in ``bench/bench_choice.py``, not here.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from sinfronteras.choice import RankedProfile
from sinfronteras.choice.generate import city_ranked_election
from sinfronteras.choice.ranked import pairwise_counts, ranked_pairs, schulze
from sinfronteras.choice.runoff import instant_runoff, single_transferable_vote


def naive_first_choices(profile, active):
    tally = {c: 0 for c in active}
    for ballot, count in zip(profile.ballots, profile.counts):
        for tier in ballot:
            live = [c for c in tier if c in active]
            if len(live) == 1:
                tally[live[0]] += count
            if live:
                break
    return tally


def naive_irv(profile, order):
    """Recount from scratch every round; the loser of a tie is the one last in ``order``."""
    rank = {c: k for k, c in enumerate(order)}
    active = set(range(len(profile.candidates)))
    while True:
        tally = naive_first_choices(profile, active)
        top = max(active, key=lambda c: (tally[c], -rank[c]))
        if len(active) == 1 or 2 * tally[top] > sum(tally.values()):
            return top
        low = min(tally.values())
        active.discard(max((c for c in active if tally[c] == low), key=lambda c: rank[c]))


def naive_pairwise(profile):
    m = len(profile.candidates)
    out = [[0] * m for _ in range(m)]
    for ballot, count in zip(profile.ballots, profile.counts):
        level = {c: t for t, tier in enumerate(ballot) for c in tier}
        for a in range(m):
            for b in range(m):
                if a != b and level.get(a, len(ballot)) < level.get(b, len(ballot)):
                    out[a][b] += count
    return out


def random_with_ties(rng, m, kinds):
    ballots = []
    for _ in range(kinds):
        order = rng.sample(range(m), rng.randint(0, min(m, 4)))
        tiers, k = [], 0
        while k < len(order):
            size = 2 if rng.random() < 0.15 and k + 1 < len(order) else 1
            tiers.append(tuple(order[k : k + size]))
            k += size
        ballots.append(tuple(tiers))
    return RankedProfile(tuple(f"c{k}" for k in range(m)), tuple(ballots), tuple(rng.randint(1, 3) for _ in ballots))


@pytest.mark.parametrize("seed", range(60))
def test_incremental_irv_elects_who_a_recount_from_scratch_elects(seed):
    rng = random.Random(seed)
    profile = random_with_ties(rng, rng.randint(2, 12), rng.randint(1, 15))
    order = list(range(len(profile.candidates)))
    rng.shuffle(order)
    names = [profile.candidates[c] for c in order]
    result = instant_runoff(profile, tie_break=names)
    assert result.winners == (profile.candidates[naive_irv(profile, order)],)


@pytest.mark.parametrize("seed", range(30))
def test_pairwise_counts_match_a_count_pair_by_pair(seed):
    rng = random.Random(seed)
    profile = random_with_ties(rng, rng.randint(1, 9), rng.randint(0, 12))
    assert pairwise_counts(profile).tolist() == naive_pairwise(profile)


def test_irv_counts_379_candidates_with_hundreds_tied_at_zero_and_says_so():
    profile = city_ranked_election(candidates=379, voters=4_000, seed=7)
    result = instant_runoff(profile)
    assert result.winners == (profile.candidates[naive_irv(profile, range(379))],)
    notes = [r.note for r in result.rounds if r.note]
    first = notes[0]
    assert first.startswith("a tie among ") and " candidates with 0 votes was broken by the tie-break order" in first
    size = int(first.split()[3])
    assert size > 100 and size == sum(1 for v in result.rounds[0].tallies.values() if v == 0)
    assert result.details["every_winner"].startswith(("computed: ", "not computed: "))


@pytest.mark.slow
def test_irv_counts_a_city_of_36655_ballots_and_379_candidates():
    profile = city_ranked_election(seed=2009)
    assert profile.num_voters == 36_655 and len(profile.candidates) == 379
    result = instant_runoff(profile)
    assert len(result.rounds) == 379 - 1 or result.rounds[-1].elected
    assert result.winners == (profile.candidates[naive_irv(profile, range(379))],)
    seats = single_transferable_vote(profile, seats=3)
    assert len(seats.winners) == 3 and "every_outcome" in seats.details


def test_every_irv_winner_is_listed_when_the_tie_decides():
    # a and b tie for last with 1 vote each; whoever goes first hands the win to the other's ally.
    profile = RankedProfile(("a", "b", "c", "d"), (((0,), (2,)), ((1,), (3,)), ((2,),), ((3,),)), (1, 1, 1, 1))
    result = instant_runoff(profile)
    assert set(result.tied) >= {("c",), ("d",)} and result.details["every_winner"].startswith("computed")


def test_every_irv_winner_is_not_computed_past_the_budget_and_the_count_says_so():
    # 40 candidates with one vote each: every order of elimination is a different path.
    m = 40
    profile = RankedProfile(tuple(f"c{k}" for k in range(m)),
                            tuple(((k,), ((k + 1) % m,)) for k in range(m)), (1,) * m)
    result = instant_runoff(profile)
    assert result.winners and result.details["every_winner"].startswith("not computed")
    assert "a tie among 40 candidates with 1 vote was broken" in result.rounds[0].note


def test_ranked_pairs_locks_ballots_ranking_200_candidates_without_recursion():
    m = 200
    rng = random.Random(5)
    ballots = tuple(tuple((c,) for c in rng.sample(range(m), m)) for _ in range(3))
    profile = RankedProfile(tuple(f"c{k}" for k in range(m)), ballots, (1, 1, 1))
    result = ranked_pairs(profile)
    locked = result.details["locked"]
    assert len(locked) + len(result.details["skipped"]) == m * (m - 1) // 2
    beaten = {loser for _, loser, _ in locked}
    winner = result.winners[0]
    assert winner not in beaten
    table = result.details["pairwise"]
    condorcet = all(table[winner][x] > table[x][winner] for x in table if x != winner)
    assert condorcet or "every_winner" in result.details or result.tied


def test_ranked_pairs_reports_every_winner_of_a_small_cycle():
    profile = RankedProfile(("a", "b", "c"), (((0,), (1,), (2,)), ((1,), (2,), (0,)), ((2,), (0,), (1,))), (1, 1, 1))
    result = ranked_pairs(profile)
    assert set(result.tied) == {("a",), ("b",), ("c",)} and result.winners == ("a",)


def test_schulze_and_stv_count_fifty_ranked_candidates():
    m = 50
    ballots = tuple(tuple((c,) for c in range(k, m)) + tuple((c,) for c in range(k)) for k in range(0, m, 5))
    profile = RankedProfile(tuple(f"c{k}" for k in range(m)), ballots, tuple(range(1, len(ballots) + 1)))
    assert schulze(profile).winners
    stv = single_transferable_vote(profile, seats=4)
    assert len(stv.winners) == 4
    assert sum(Fraction(v) for v in stv.rounds[0].tallies.values()) == profile.num_voters
