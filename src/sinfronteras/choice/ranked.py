"""Ranked-choice rules: Schulze, ranked pairs, instant runoff and STV.

A ballot ranks candidates in tiers (a tier of several is a tie); candidates it
leaves out rank below all it ranks. Schulze and ranked pairs measure a defeat by
its *margin* (voters preferring a to b minus those preferring b to a), as
pref_voting does. In instant runoff and STV a ballot whose top continuing tier
holds several candidates counts for none of them in that round (an overvote, as
in Burlington's published count and in pref_voting); once all but one of that
tier are out, it counts for the one left.

Examples
--------
>>> p = RankedProfile(("a", "b", "c"), (((0,), (1,), (2,)), ((2,), (1,), (0,)), ((1,), (0,), (2,))), (4, 3, 2))
>>> schulze(p).winners, ranked_pairs(p).winners, instant_runoff(p).winners
(('b',), ('b',), ('a',))
"""

from __future__ import annotations

from fractions import Fraction
from itertools import permutations

import numpy as np

from .model import RankedProfile, Result, Round, exact, tie_order, tie_rank


def pairwise_counts(profile: RankedProfile) -> np.ndarray:
    """``N[a, b]``: how many voters rank ``a`` strictly above ``b``.

    Examples
    --------
    >>> pairwise_counts(RankedProfile(("a", "b"), (((0,),),), (5,))).tolist()
    [[0, 5], [0, 0]]
    """
    m = len(profile.candidates)
    if not profile.ballots:
        return np.zeros((m, m), dtype=np.int64)
    level = np.empty((len(profile.ballots), m), dtype=np.int64)
    for row, ballot in enumerate(profile.ballots):
        level[row, :] = len(ballot)
        for t, tier in enumerate(ballot):
            level[row, list(tier)] = t
    w = np.asarray(profile.counts, dtype=np.int64)
    above = level[:, :, None] < level[:, None, :]
    return np.einsum("b,bij->ij", w, above.astype(np.int64))


def _table(profile: RankedProfile, matrix) -> dict:
    names = profile.candidates
    return {a: {b: int(matrix[i][j]) for j, b in enumerate(names) if j != i} for i, a in enumerate(names)}


def _pick(names, indices, rank) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """The tie-break winner among ``indices`` and the tied outcomes (if several)."""
    best = min(indices, key=lambda i: rank[i])
    tied = tuple((names[i],) for i in sorted(indices, key=lambda i: rank[i])) if len(indices) > 1 else ()
    return names[best], tied


def _single_seat(seats: int, rule: str) -> None:
    if seats != 1:
        raise ValueError(f"{rule} elects one candidate; use stv for several seats")


def schulze(profile: RankedProfile, *, seats: int = 1, tie_break=None) -> Result:
    """Schulze's beat-path method, defeat strength = margin.

    ``details`` holds the ``pairwise`` table (voters preferring row to column) and
    the ``strongest_paths`` table; a winner's path to every rival is at least as
    strong as the rival's path back.

    Examples
    --------
    >>> p = RankedProfile(("x", "y"), (((0,), (1,)), ((1,), (0,))), (2, 2))
    >>> r = schulze(p); r.winners, r.tied
    (('x',), (('x',), ('y',)))
    """
    _single_seat(seats, "schulze")
    names, m = profile.candidates, len(profile.candidates)
    n = pairwise_counts(profile)
    margin = n - n.T
    p = np.where(margin > 0, margin, 0)
    for k in range(m):
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
        np.fill_diagonal(p, 0)
    winners = [a for a in range(m) if all(p[a, b] >= p[b, a] for b in range(m) if b != a)]
    winner, tied = _pick(names, winners, tie_rank(names, tie_break))
    details = {"pairwise": _table(profile, n), "strongest_paths": _table(profile, p)}
    return Result("schulze", (winner,) if m else (), tied, (), details)


def _reaches(locked: dict[int, set[int]], start: int, goal: int) -> bool:
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in locked.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _lock(edges, m) -> tuple[list, dict[int, set[int]]]:
    locked: dict[int, set[int]] = {}
    kept = []
    for a, b, w in edges:
        if not _reaches(locked, b, a):
            locked.setdefault(a, set()).add(b)
            kept.append((a, b, w))
    return kept, locked


def _rp_all_winners(groups, m, limit=20000) -> set[int] | None:
    """Winners under every order of equal-margin edges (None past ``limit`` states)."""
    memo: dict = {}
    seen = [0]

    def go(gi, rest, locked):
        if gi == len(groups):
            heads = {b for _, b in locked}
            return frozenset(c for c in range(m) if c not in heads)
        if not rest:
            nxt = groups[gi + 1] if gi + 1 < len(groups) else frozenset()
            return go(gi + 1, frozenset(nxt), locked)
        key = (gi, rest, locked)
        if key not in memo:
            seen[0] += 1
            if seen[0] > limit:
                raise OverflowError
            graph: dict[int, set[int]] = {}
            for a, b in locked:
                graph.setdefault(a, set()).add(b)
            out: set[int] = set()
            for a, b in rest:
                new = locked if _reaches(graph, b, a) else locked | {(a, b)}
                out |= go(gi, rest - {(a, b)}, new)
            memo[key] = frozenset(out)
        return memo[key]

    try:
        return set(go(0, frozenset(groups[0]) if groups else frozenset(), frozenset()))
    except OverflowError:
        return None


def ranked_pairs(profile: RankedProfile, *, seats: int = 1, tie_break=None) -> Result:
    """Tideman's ranked pairs by margin: lock the largest defeats that make no cycle.

    Edges of equal margin are taken in tie-break order of (winner, loser);
    ``tied`` lists every winner over all orders of equal-margin edges.
    ``details["locked"]`` lists ``[winner, loser, margin]`` in locking order.

    Examples
    --------
    >>> p = RankedProfile(("a", "b", "c"), (((0,), (1,), (2,)),), (1,))
    >>> ranked_pairs(p).details["locked"]
    [['a', 'b', 1], ['a', 'c', 1], ['b', 'c', 1]]
    """
    _single_seat(seats, "ranked-pairs")
    names, m = profile.candidates, len(profile.candidates)
    rank = tie_rank(names, tie_break)
    n = pairwise_counts(profile)
    margin = n - n.T
    edges = [(a, b, int(margin[a, b])) for a in range(m) for b in range(m) if margin[a, b] > 0]
    edges.sort(key=lambda e: (-e[2], rank[e[0]], rank[e[1]]))
    kept, locked = _lock(edges, m)
    heads = {b for bs in locked.values() for b in bs}
    winner = next((c for c in sorted(range(m), key=lambda c: rank[c]) if c not in heads), None)
    groups: list[frozenset] = []
    for k, (a, b, w) in enumerate(edges):
        if k == 0 or w != edges[k - 1][2]:
            groups.append(frozenset())
        groups[-1] = groups[-1] | {(a, b)}
    tied: tuple = ()
    every = {c for c in range(m) if c not in heads}
    if any(len(g) > 1 for g in groups):
        every = _rp_all_winners(groups, m)
    if every is not None and len(every) > 1:
        tied = tuple((names[c],) for c in sorted(every, key=lambda c: rank[c]))
    details = {
        "pairwise": _table(profile, n),
        "locked": [[names[a], names[b], w] for a, b, w in kept],
        "skipped": [[names[a], names[b], w] for a, b, w in edges if (a, b, w) not in kept],
    }
    return Result("ranked-pairs", (names[winner],) if winner is not None else (), tied, (), details)


def _first_choices(profile: RankedProfile, active: frozenset[int], weights) -> dict[int, Fraction]:
    """Each ballot's weight to its top continuing candidate, if alone in its tier."""
    tally = {c: Fraction(0) for c in active}
    for ballot, w in zip(profile.ballots, weights):
        for tier in ballot:
            live = [c for c in tier if c in active]
            if len(live) == 1:
                tally[live[0]] += w
            if live:
                break
    return tally


def _irv_step(profile, active, rank) -> tuple[dict, int | None, list[int]]:
    """(tally, majority winner or None, candidates tied for last)."""
    tally = _first_choices(profile, active, profile.counts)
    total = sum(tally.values())
    top = max(active, key=lambda c: (tally[c], -rank[c]))
    if len(active) == 1 or 2 * tally[top] > total:
        return tally, top, []
    low = min(tally.values())
    return tally, None, [c for c in active if tally[c] == low]


def _irv_every_winner(profile, rank) -> set[int]:
    memo: dict[frozenset, frozenset] = {}

    def go(active):
        if active not in memo:
            _, win, last = _irv_step(profile, active, rank)
            memo[active] = frozenset({win}) if win is not None else frozenset().union(
                *(go(active - {c}) for c in last)
            )
        return memo[active]

    return set(go(frozenset(range(len(profile.candidates)))))


def instant_runoff(profile: RankedProfile, *, seats: int = 1, tie_break=None) -> Result:
    """Instant runoff: drop the candidate with fewest first choices until one has a majority.

    A majority is more than half of the ballots still counting. A tie for last
    eliminates the candidate last in the tie-break order; ``tied`` then lists every
    winner reachable by some order of elimination (parallel-universe tie-breaking).

    Examples
    --------
    >>> p = RankedProfile(("a", "b", "c"), (((0,),), ((1,), (2,)), ((2,),)), (4, 2, 3))
    >>> r = instant_runoff(p); r.winners, [x.eliminated for x in r.rounds]
    (('c',), [('b',), ()])
    """
    _single_seat(seats, "irv")
    names = profile.candidates
    rank = tie_rank(names, tie_break)
    active = frozenset(range(len(names)))
    rounds, had_tie, winner = [], False, None
    while active:
        tally, winner, last = _irv_step(profile, active, rank)
        shown = {names[c]: exact(tally[c]) for c in sorted(active, key=lambda c: (-tally[c], rank[c]))}
        if winner is not None:
            rounds.append(Round(len(rounds) + 1, shown, elected=(names[winner],)))
            break
        had_tie |= len(last) > 1
        out = max(last, key=lambda c: rank[c])
        note = "tie for last broken by the tie-break order" if len(last) > 1 else ""
        rounds.append(Round(len(rounds) + 1, shown, eliminated=(names[out],), note=note))
        active = active - {out}
    tied: tuple = ()
    if had_tie:
        every = _irv_every_winner(profile, rank)
        if len(every) > 1:
            tied = tuple((names[c],) for c in sorted(every, key=lambda c: rank[c]))
    return Result("irv", (names[winner],) if winner is not None else (), tied, tuple(rounds))


def droop_quota(valid: int, seats: int) -> int:
    """floor(valid / (seats + 1)) + 1.

    >>> droop_quota(100, 2)
    34
    """
    return valid // (seats + 1) + 1


def _stv_count(profile, seats, rank):
    """One STV count; returns (elected, rounds, had_tie)."""
    names = profile.candidates
    quota = droop_quota(profile.num_voters, seats)
    weights = [Fraction(c) for c in profile.counts]
    active, elected, rounds, had_tie = frozenset(range(len(names))), [], [], False
    while active and len(elected) < seats:
        tally = _first_choices(profile, active, weights)
        order = sorted(active, key=lambda c: (-tally[c], rank[c]))
        shown = {names[c]: exact(tally[c]) for c in order}
        if len(elected) + len(active) <= seats:
            elected += order
            rounds.append(Round(len(rounds) + 1, shown, tuple(names[c] for c in order), note="as many seats as candidates left"))
            break
        if tally[order[0]] >= quota:
            c = order[0]
            had_tie |= sum(tally[x] == tally[c] for x in active) > 1
            ratio = (tally[c] - quota) / tally[c]
            weights = _transfer(profile, active, weights, c, ratio)
            elected.append(c)
            rounds.append(Round(len(rounds) + 1, shown, (names[c],), note=f"quota {quota}; surplus {exact(tally[c] - quota)} transferred"))
            active = active - {c}
            continue
        low = min(tally.values())
        last = [c for c in active if tally[c] == low]
        had_tie |= len(last) > 1
        out = max(last, key=lambda c: rank[c])
        rounds.append(Round(len(rounds) + 1, shown, eliminated=(names[out],), note=f"quota {quota}"))
        active = active - {out}
    return tuple(names[c] for c in elected), rounds, had_tie


def _transfer(profile, active, weights, c, ratio):
    """Keep ``ratio`` of the weight of each ballot that counted for ``c`` (Gregory)."""
    out = list(weights)
    for k, ballot in enumerate(profile.ballots):
        for tier in ballot:
            live = [x for x in tier if x in active]
            if live == [c]:
                out[k] = weights[k] * ratio
            if live:
                break
    return out


def single_transferable_vote(profile: RankedProfile, *, seats: int = 1, tie_break=None) -> Result:
    """STV with the Droop quota and fractional (Gregory) surplus transfer.

    Each round elects the leading candidate if they reach the quota, passing on
    the surplus share of every ballot that counted for them; otherwise the
    candidate with fewest votes is eliminated and their ballots pass on whole.
    When the tie-break decided, ``tied`` lists the outcomes under every order
    of the candidates (up to 5 candidates; otherwise only the chosen one).

    Examples
    --------
    >>> p = RankedProfile(("a", "b", "c"), (((0,), (1,)), ((2,),)), (7, 2))
    >>> single_transferable_vote(p, seats=2).winners
    ('a', 'b')
    """
    if seats < 1:
        raise ValueError("seats must be at least 1")
    names = profile.candidates
    order = tie_order(names, tie_break)
    elected, rounds, had_tie = _stv_count(profile, seats, tie_rank(names, order))
    tied: tuple = ()
    if had_tie and len(names) <= 5:
        outs = {tuple(sorted(_stv_count(profile, seats, tie_rank(names, perm))[0])) for perm in permutations(order)}
        tied = tuple(sorted(outs)) if len(outs) > 1 else ()
    details = {"quota": droop_quota(profile.num_voters, seats), "seats": seats}
    return Result("stv", elected, tied, tuple(rounds), details)
