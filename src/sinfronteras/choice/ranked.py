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

import numpy as np

from .model import RankedProfile, Result, tie_rank
from .runoff import EVERY_WINNER_WORK, droop_quota, instant_runoff, single_transferable_vote

__all__ = ["droop_quota", "instant_runoff", "pairwise_counts", "ranked_pairs", "schulze", "single_transferable_vote"]

#: Cells of the stacked ballot arrays counted at once (bounds the memory used).
CHUNK_CELLS = 20_000_000


def pairwise_counts(profile: RankedProfile) -> np.ndarray:
    """``N[a, b]``: how many voters rank ``a`` strictly above ``b``.

    Work grows with the ranked positions of each ballot (k² for k ranked), not
    with the number of candidates: ``N = A + R - C``, where ``A`` counts ``a``
    above ``b`` among ranked pairs, ``R[a]`` the voters who rank ``a`` and
    ``C[a, b]`` the voters who rank both.

    Examples
    --------
    >>> pairwise_counts(RankedProfile(("a", "b"), (((0,),),), (5,))).tolist()
    [[0, 5], [0, 0]]
    >>> pairwise_counts(RankedProfile(("a", "b", "c"), (((0, 1), (2,)),), (2,))).tolist()
    [[0, 0, 2], [0, 0, 2], [0, 0, 0]]
    """
    m = len(profile.candidates)
    above = np.zeros(m * m, dtype=np.float64)
    both = np.zeros(m * m, dtype=np.float64)
    ranks = np.zeros(m, dtype=np.float64)
    by_length: dict[int, list[int]] = {}
    for row, ballot in enumerate(profile.ballots):
        k = sum(len(t) for t in ballot)
        if k and profile.counts[row]:
            by_length.setdefault(k, []).append(row)
    for k, rows in by_length.items():
        step = max(1, CHUNK_CELLS // (k * k))
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            idx = np.array([[c for t in profile.ballots[r] for c in t] for r in part], dtype=np.int64)
            lvl = np.array([[i for i, t in enumerate(profile.ballots[r]) for _ in t] for r in part], dtype=np.int64)
            w = np.asarray([profile.counts[r] for r in part], dtype=np.float64)
            lin = idx[:, :, None] * m + idx[:, None, :]
            wide = np.broadcast_to(w[:, None, None], lin.shape)
            ahead = lvl[:, :, None] < lvl[:, None, :]
            above += np.bincount(lin[ahead], weights=wide[ahead], minlength=m * m)
            both += np.bincount(lin.ravel(), weights=wide.ravel(), minlength=m * m)
            ranks += np.bincount(idx.ravel(), weights=np.repeat(w, k), minlength=m)
    out = np.rint(above.reshape(m, m) + ranks[:, None] - both.reshape(m, m)).astype(np.int64)
    np.fill_diagonal(out, 0)
    return out


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
    winners = [int(a) for a in np.flatnonzero(np.all(p >= p.T, axis=1))]
    winner, tied = _pick(names, winners, tie_rank(names, tie_break))
    details = {"pairwise": _table(profile, n), "strongest_paths": _table(profile, p)}
    return Result("schulze", (winner,) if m else (), tied, (), details)


def _lock(edges, m) -> list[tuple[int, int, int]]:
    """Lock ``edges`` in order unless they close a cycle; iterative, any size.

    ``reach[x, y]``: ``x`` reaches ``y`` through locked edges (a transitive
    closure kept up to date), so each edge is checked in one look-up.
    """
    reach = np.eye(m, dtype=bool)
    kept = []
    for a, b, w in edges:
        if reach[b, a]:
            continue
        kept.append((a, b, w))
        if not reach[a, b]:
            up = reach[:, a]
            reach[up] |= reach[b]
    return kept


def _closure_lock(desc: tuple[int, ...], a: int, b: int) -> tuple[int, ...]:
    """``desc`` (bit masks of what each node reaches) after trying to lock a -> b."""
    if desc[b] >> a & 1 or desc[a] >> b & 1:
        return desc
    return tuple(d | desc[b] if d >> a & 1 else d for d in desc)


def _rp_all_winners(groups, m, work: int = EVERY_WINNER_WORK) -> set[int] | None:
    """Winners under every order of equal-margin edges; None past ``work``.

    Iterative: after each group of equal margins, the set of reachable locked
    graphs, each kept as its transitive closure (two graphs with the same closure
    lock and win alike). Finding every winner is NP-hard in general (Brill and
    Fischer 2012), hence the budget.
    """
    start = tuple(1 << c for c in range(m))
    configs, spent = {start}, 0
    for group in groups:
        edges = sorted(group)
        out: set = set()
        for desc in configs:
            stack, seen = [(frozenset(edges), desc)], set()
            while stack:
                rest, d = stack.pop()
                if (rest, d) in seen:
                    continue
                seen.add((rest, d))
                if not rest:
                    out.add(d)
                    continue
                spent += (m + len(rest)) * len(rest)
                if spent > work:
                    return None
                for a, b in rest:
                    stack.append((rest - {(a, b)}, _closure_lock(d, a, b)))
        configs = out
    heads = [frozenset(c for c in range(m) if any(d >> c & 1 for x, d in enumerate(desc) if x != c))
             for desc in configs]
    return {c for h in heads for c in range(m) if c not in h}


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
    win, lose = np.nonzero(margin > 0)
    by = np.asarray(rank, dtype=np.int64)
    sizes = margin[win, lose]
    order = np.lexsort((by[lose], by[win], -sizes))
    edges = list(zip(win[order].tolist(), lose[order].tolist(), sizes[order].tolist()))
    kept = _lock(edges, m)
    heads = {b for _, b, _ in kept}
    winner = next((c for c in sorted(range(m), key=lambda c: rank[c]) if c not in heads), None)
    details: dict = {}
    tied: tuple = ()
    condorcet = winner is not None and all(margin[winner, c] > 0 for c in range(m) if c != winner)
    every: set[int] | None = {c for c in range(m) if c not in heads}
    if not condorcet and len({w for _, _, w in edges}) < len(edges):
        groups: dict[int, set] = {}
        for a, b, w in edges:
            groups.setdefault(w, set()).add((a, b))
        every = _rp_all_winners([groups[w] for w in sorted(groups, reverse=True)], m)
    if every is None:
        details["every_winner"] = ("not computed: too many orders of equal margins to try them all; "
                                   "the winner is the one the tie-break order gives")
    elif len(every) > 1:
        tied = tuple((names[c],) for c in sorted(every, key=lambda c: rank[c]))
    locked = set(kept)
    details.update({
        "pairwise": _table(profile, n),
        "locked": [[names[a], names[b], w] for a, b, w in kept],
        "skipped": [[names[a], names[b], w] for a, b, w in edges if (a, b, w) not in locked],
    })
    return Result("ranked-pairs", (names[winner],) if winner is not None else (), tied, (), details)


