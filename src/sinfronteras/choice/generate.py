"""Generated elections shaped like a city's, for tests and benchmarks.

:func:`city_ranked_election` imitates Minneapolis 2009 Park at-large (379
candidates, 36,655 ballots, three rankings each): a few declared candidates take
almost every vote; hundreds of write-ins get one vote, or none at all as a first
choice, so that many tie at zero; some ballots rank two candidates in one place
(an overvote) or repeat nobody.

Examples
--------
>>> p = city_ranked_election(candidates=30, voters=200, seed=3)
>>> len(p.candidates), p.num_voters
(30, 200)
"""

from __future__ import annotations

import random

from .model import RankedProfile


def city_ranked_election(candidates: int = 379, voters: int = 36_655, *, declared: int = 12,
                         rankings: int = 3, seed: int = 2009) -> RankedProfile:
    """A seeded ranked election with many write-ins tied at zero first choices.

    Parameters
    ----------
    candidates, voters : int
        Size of the election.
    declared : int
        Candidates that take almost all the votes; the rest are write-ins.
    rankings : int
        Longest ballot (Minneapolis allowed three).
    seed : int
        Seed of the generator: the same seed gives the same election.
    """
    rng = random.Random(seed)
    declared = min(declared, candidates)
    appeal = [1.0 / (k + 1) for k in range(declared)]
    write_ins = list(range(declared, candidates))
    # A quarter of the write-ins ever get a first choice; the rest only appear lower down.
    first_write_ins = write_ins[: max(1, len(write_ins) // 4)] if write_ins else []
    merged: dict[tuple, int] = {}
    for _ in range(voters):
        length = rng.randint(1, rankings)
        ballot: list[tuple[int, ...]] = []
        used: set[int] = set()
        for place in range(length):
            roll = rng.random()
            if write_ins and roll < (0.004 if place == 0 else 0.05):
                pool = first_write_ins if place == 0 else write_ins
                pick = rng.choice(pool)
            else:
                pick = rng.choices(range(declared), weights=appeal)[0]
            if pick in used:
                continue
            used.add(pick)
            if rng.random() < 0.003:  # two candidates marked in one place
                other = rng.randrange(declared)
                if other not in used:
                    used.add(other)
                    ballot.append(tuple(sorted((pick, other))))
                    continue
            ballot.append((pick,))
        key = tuple(ballot)
        merged[key] = merged.get(key, 0) + 1
    names = tuple([f"Candidate {k + 1}" for k in range(declared)] +
                  [f"Write-in {k - declared + 1}" for k in range(declared, candidates)])
    return RankedProfile(names, tuple(merged), tuple(merged.values()))
