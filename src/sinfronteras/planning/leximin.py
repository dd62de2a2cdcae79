"""Leximin fulfilment, tier by tier, by decomposition over minimum cuts.

The vectors of ``met`` that a flow network can deliver form a polymatroid; the
leximin vector of fulfilled fractions ``met_i / q_i`` is its lexicographically
optimal base (Megiddo 1974, Fujishige 1980). It is found here by Fujishige's
decomposition algorithm, run on all open parts of the network at once:

* Each *group* (at first a connected component) holds offers O, needs of the
  tier being planned U, and needs of earlier tiers F whose ``met`` is fixed.
  Its candidate level is ``lam = (s(O) - m(F)) / q(U)``, at most 1.
* One maximum flow (OR-Tools) over every open group asks each need of U for
  ``floor(lam * q_i)`` and each need of F for exactly ``m_i``.
* A group that gets everything it asks for is a leaf: its needs of U are met at
  ``lam``; when ``lam < 1`` its offers are used up by its own needs (a tight
  set), so they and its needs leave the network for later tiers.
* Otherwise the needs the source cannot reach in the residual network, with the
  offers they reach, form a set that cannot all get ``lam``: the group splits in
  two (restriction and contraction of the polymatroid) and each half continues
  with its own level. Arcs between the halves are dropped; no flow crosses them.

Quantities are integers (see :mod:`sinfronteras.planning.solve` for the scale).
Levels are rounded down (``floor(lam * q_i)``), so every plan is feasible; each
need is at most one quantity unit below the exact leximin value.

Whole steps. Needs marked ``whole`` are counted in steps of their resource (a
connected part of the network is all whole or all not: an offer's resources
share one step). Their groups are tested exactly: every capacity is multiplied
by the group's denominator ``q(U)``, so the level ``lam`` and each share
``lam * q_i`` are exact rationals. After each tier, every whole need whose share
is not a whole step may get one step more (:func:`_round_up`): the needs sorted
by their rounded-down fraction, lowest first, each takes the step if a flow
still exists, over all the tight sets of the tier and the arcs between them.
Those sets form a matroid, so this greedy order gives the leximin-largest
rounding; it is solved as one min-cost flow whose step arcs cost the need's
rank. Tight sets joined by that flow become one cell; their union stays tight
(its steps add up to its supply).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .components import components
from .flows import max_flow, min_cost_flow


@dataclass(frozen=True)
class Leximin:
    """Result of :func:`leximin`.

    Attributes
    ----------
    met : ndarray of int64
        Met quantity of every need, in quantity units.
    leaf : ndarray of int64
        Tight set (leaf) each need was met in, -1 if it was in none.
    leaf_tier, leaf_level : ndarray
        Tier and fulfilled fraction of each leaf (1.0: fully met).
    need_cell, offer_cell : ndarray of int64
        Tight set that used up each offer, and that each of its needs drew
        from (-1: none). An offer in a tight set serves only needs of that set.
    rounds : int
        Maximum flows solved.
    roundings : int
        Min-cost flows solved to round whole needs to whole steps.
    """

    met: np.ndarray
    leaf: np.ndarray
    leaf_tier: np.ndarray
    leaf_level: np.ndarray
    need_cell: np.ndarray
    offer_cell: np.ndarray
    rounds: int
    roundings: int = 0


@dataclass
class _State:
    """Mutable bookkeeping of the decomposition (one per :func:`leximin` call)."""

    q: np.ndarray
    s: np.ndarray
    met: np.ndarray
    alive_need: np.ndarray
    alive_offer: np.ndarray
    leaf: np.ndarray
    leaf_tier: list
    leaf_level: list
    need_cell: np.ndarray
    offer_cell: np.ndarray
    rounds: int = 0
    #: Needs counted in whole steps (None: none is), and those whose exact share is not whole.
    whole: np.ndarray | None = None
    rem: np.ndarray | None = None
    roundings: int = 0


def leximin(
    arc_offer: np.ndarray,
    arc_need: np.ndarray,
    need_q: np.ndarray,
    offer_s: np.ndarray,
    need_tier: np.ndarray,
    progress: Callable[[str], None] | None = None,
    whole: np.ndarray | None = None,
    oracle=None,
) -> Leximin:
    """Leximin ``met`` per need, tier by tier, on integer quantities.

    ``whole`` marks the needs counted in whole steps: each gets its exact share
    rounded down or up to a whole step, the leximin-largest such rounding.

    ``oracle`` (sparse-core mode, :class:`sinfronteras.planning.core.Core`):
    the arcs given are a core of all arcs; the oracle gives each tier's
    components over all arcs, certifies each maximum flow against all arcs
    (arcs it finds join the core and the flow is solved again) and gives the
    arcs that rounding to whole steps needs.

    Examples
    --------
    Two needs of 4 share one offer of 6: each gets 3 (fraction 0.75).

    >>> import numpy as np
    >>> r = leximin(np.array([0, 0]), np.array([0, 1]), np.array([4, 4]), np.array([6]), np.array([1, 1]))
    >>> r.met.tolist(), r.leaf_level.tolist()
    ([3, 3], [0.75])

    Two needs of 2 packs share 3 packs: 1.5 each is no plan; one gets 2, the other 1.

    >>> r = leximin(np.array([0, 0]), np.array([0, 1]), np.array([2, 2]), np.array([3]), np.array([1, 1]),
    ...             whole=np.array([True, True]))
    >>> r.met.tolist(), r.leaf_level.tolist()
    ([2, 1], [0.75])
    """
    st = _State(
        q=np.asarray(need_q, np.int64),
        s=np.asarray(offer_s, np.int64),
        met=np.zeros(len(need_q), np.int64),
        alive_need=np.zeros(len(need_q), bool),
        alive_offer=np.ones(len(offer_s), bool),
        leaf=np.full(len(need_q), -1, np.int64),
        leaf_tier=[],
        leaf_level=[],
        need_cell=np.full(len(need_q), -1, np.int64),
        offer_cell=np.full(len(offer_s), -1, np.int64),
    )
    if whole is not None and np.any(whole):
        st.whole = np.asarray(whole, bool)
        st.rem = np.zeros(len(need_q), bool)
    for tier in (1, 2, 3, 4):
        in_tier = need_tier == tier
        if not in_tier.any():
            continue
        st.alive_need |= in_tier
        if oracle is not None:
            arc_offer, arc_need = oracle.offer, oracle.need
        _plan_tier(st, np.asarray(arc_offer), np.asarray(arc_need), in_tier, tier, progress, oracle)
        if st.whole is not None:
            _round_up(st, np.asarray(arc_offer), np.asarray(arc_need), in_tier, tier, oracle)
        # Needs of this tier now count as fixed; those met with nothing constrain nothing.
        st.alive_need &= st.met > 0
    return Leximin(
        st.met,
        st.leaf,
        np.array(st.leaf_tier, np.int64),
        np.array(st.leaf_level, float),
        st.need_cell,
        st.offer_cell,
        st.rounds,
        st.roundings,
    )


def _components(n_o: int, n_n: int, ao: np.ndarray, an: np.ndarray) -> np.ndarray:
    """Component of every offer (``0..n_o-1``) and need (``n_o..``) over the arcs ``ao``-``an``."""
    return components(n_o + n_n, ao, np.asarray(an, np.int64) + n_o)


def _plan_tier(st: _State, arc_offer, arc_need, in_tier, tier: int, progress, oracle=None) -> None:
    keep = st.alive_offer[arc_offer] & st.alive_need[arc_need]
    ao, an = arc_offer[keep], arc_need[keep]
    n_o, n_n = len(st.s), len(st.q)
    if oracle is None:
        label = _components(n_o, n_n, ao, an)
    else:  # components of all arcs: the core joined by the arcs that cross its components
        label, ao, an = oracle.components(st.alive_offer, st.alive_need, ao, an)
    go = np.where(st.alive_offer, label[:n_o], -1)
    gn = np.where(st.alive_need, label[n_o:], -1)
    open_groups = np.zeros(n_o + n_n, bool)
    open_groups[gn[in_tier]] = True
    while True:
        go = np.where((go >= 0) & open_groups[np.maximum(go, 0)], go, -1)
        gn = np.where((gn >= 0) & open_groups[np.maximum(gn, 0)], gn, -1)
        keep = (go[ao] >= 0) & (go[ao] == gn[an])
        ao, an = ao[keep], an[keep]
        if not (gn >= 0).any():
            return
        st.rounds += 1
        if progress is not None:
            progress(f"tier {tier}: round {st.rounds}, {int((gn >= 0).sum())} needs, {len(ao)} arcs open")
        go, gn, open_groups, ao, an = _round(st, ao, an, go, gn, in_tier, tier, oracle)


def _levels(st: _State, go, gn, in_tier, n_groups: int):
    """Per group: numerator s(O) - m(F) and denominator q(U) of its level."""
    mo = go >= 0
    mn = gn >= 0
    supply = np.zeros(n_groups, np.int64)
    np.add.at(supply, go[mo], st.s[mo])
    fixed = mn & ~in_tier
    np.add.at(supply, gn[fixed], -st.met[fixed])
    den = np.zeros(n_groups, np.int64)
    u = mn & in_tier
    np.add.at(den, gn[u], st.q[u])
    return np.maximum(supply, 0), den


def _demands(st: _State, gn, in_tier, num, den) -> np.ndarray:
    """Demand of every open need: m_i for fixed needs, floor(lam_g * q_i) for the tier's."""
    d = np.where(gn >= 0, st.met, 0)
    u = np.flatnonzero((gn >= 0) & in_tier)
    g = gn[u]
    full = num[g] >= den[g]
    big = int(num.max(initial=0)) * int(st.q[u].max(initial=0)) >= 2**62
    if big:  # exact arithmetic on Python integers when int64 could overflow
        part = (st.q[u].astype(object) * num[g].astype(object)) // den[g].astype(object)
        part = part.astype(np.int64)
    else:
        part = st.q[u] * num[g] // np.maximum(den[g], 1)
    d[u] = np.where(full, st.q[u], part)
    return d


def _multipliers(st: _State, go, gn, den, n_groups: int) -> np.ndarray | None:
    """Per group: ``q(U)`` for groups of whole needs tested exactly, else 0 (None: no whole needs)."""
    if st.whole is None:
        return None
    exact = np.zeros(n_groups, bool)
    w = (gn >= 0) & st.whole
    exact[gn[w]] = True
    supply = np.zeros(n_groups)
    np.add.at(supply, go[go >= 0], st.s[go >= 0].astype(float))
    exact &= (supply + 1) * np.maximum(den, 1) < 2.0**61  # else floors, as for other needs
    return np.where(exact, np.maximum(den, 1), 0).astype(np.int64)


def _exact_demands(st: _State, gn, in_tier, num, den, mult, d) -> np.ndarray:
    """Demands of exactly tested groups, times their multiplier: ``m_i q(U)``, ``lam q_i q(U)``."""
    ex = (gn >= 0) & (mult[np.maximum(gn, 0)] > 0)
    if not ex.any():
        return d
    d = d.copy()
    f = ex & ~in_tier
    d[f] = st.met[f] * mult[gn[f]]
    u = ex & in_tier
    g = gn[u]
    d[u] = np.where(num[g] >= den[g], st.q[u] * den[g], st.q[u] * num[g])
    return d


def _round(st: _State, ao, an, go, gn, in_tier, tier: int, oracle=None):
    n_o, n_n = len(st.s), len(st.q)
    n_groups = n_o + n_n
    num, den = _levels(st, go, gn, in_tier, n_groups)
    d = _demands(st, gn, in_tier, num, den)
    mult = _multipliers(st, go, gn, den, n_groups)
    if mult is not None:
        d = _exact_demands(st, gn, in_tier, num, den, mult, d)
    needs = np.flatnonzero(gn >= 0)
    want_g = np.bincount(gn[needs], weights=d[needs], minlength=n_groups)
    while True:
        r = _max_flow(st, ao, an, go, gn, d, mult)
        got = r.flows[int((go >= 0).sum()) + len(ao) :]
        got_g = np.bincount(gn[needs], weights=got, minlength=n_groups)
        done = np.zeros(n_groups, bool)
        done[gn[needs]] = True
        done &= got_g >= want_g  # saturated groups are leaves
        if oracle is None:
            break
        # Certify the flow against all arcs: none from the source side to the sink side.
        eo, en = oracle.augmenting(go, gn, ~done, r.source_side[:n_o], r.source_side[n_o : n_o + n_n])
        if not len(eo):
            break
        ao, an = np.concatenate([ao, eo]), np.concatenate([an, en])
    _record_leaves(st, go, gn, in_tier, tier, done, num, den, d, mult)
    # Split the others: unreachable needs and offers become a new group.
    split = ~done
    reach_o, reach_n = r.source_side[:n_o], r.source_side[n_o : n_o + n_n]
    go, gn = go.copy(), gn.copy()
    new_o = (go >= 0) & split[np.maximum(go, 0)] & ~reach_o
    new_n = (gn >= 0) & split[np.maximum(gn, 0)] & ~reach_n
    go[new_o] += n_groups
    gn[new_n] += n_groups
    go[(go >= 0) & (go < n_groups) & done[np.clip(go, 0, n_groups - 1)]] = -1
    gn[(gn >= 0) & (gn < n_groups) & done[np.clip(gn, 0, n_groups - 1)]] = -1
    go, gn = _relabel(go, gn)
    open_groups = np.zeros(n_o + n_n, bool)
    u = (gn >= 0) & in_tier
    open_groups[gn[u]] = True
    return go, gn, open_groups, ao, an


def _max_flow(st: _State, ao, an, go, gn, d, mult):
    """One maximum flow over every open group: offers to their arcs to the needs' demands."""
    n_o, n_n = len(st.s), len(st.q)
    offers = np.flatnonzero(go >= 0)
    needs = np.flatnonzero(gn >= 0)
    src, snk = n_o + n_n, n_o + n_n + 1
    tails = np.concatenate([np.full(len(offers), src), ao, needs + n_o])
    heads = np.concatenate([offers, an + n_o, np.full(len(needs), snk)])
    if mult is None:
        caps = np.concatenate([st.s[offers], st.s[ao], d[needs]])
    else:
        times = np.maximum(mult, 1)
        caps = np.concatenate([st.s[offers] * times[go[offers]], st.s[ao] * times[go[ao]], d[needs]])
    return max_flow(n_o + n_n + 2, tails, heads, caps, src, snk)


def _relabel(go, gn):
    both = np.concatenate([go, gn])
    m = both >= 0
    uniq, inv = np.unique(both[m], return_inverse=True)
    both[m] = inv.reshape(-1)
    return both[: len(go)], both[len(go) :]


def _record_leaves(st: _State, go, gn, in_tier, tier, done, num, den, d, mult=None) -> None:
    leaf_groups = np.flatnonzero(done)
    if not len(leaf_groups):
        return
    ids = np.full(len(done), -1, np.int64)
    ids[leaf_groups] = len(st.leaf_level) + np.arange(len(leaf_groups))
    level = np.minimum(num[leaf_groups] / np.maximum(den[leaf_groups], 1), 1.0)
    level = np.where(den[leaf_groups] > 0, level, 1.0)
    st.leaf_tier.extend([tier] * len(leaf_groups))
    st.leaf_level.extend(level.tolist())
    need_in = (gn >= 0) & done[np.maximum(gn, 0)]
    u = need_in & in_tier
    if mult is None:
        st.met[u] = d[u]
    else:  # exact shares: whole steps below, and whether a part of a step is left over
        m = mult[gn[u]]
        exact = m > 0
        st.met[u] = np.where(exact, d[u] // np.maximum(m, 1), d[u])
        st.rem[u] = st.whole[u] & np.where(exact, d[u] % np.maximum(m, 1) != 0, st.met[u] < st.q[u])
    st.leaf[u] = ids[gn[u]]
    tight = np.zeros(len(done), bool)
    tight[leaf_groups[num[leaf_groups] < den[leaf_groups]]] = True
    # A tight leaf used up its offers on its own needs: both leave the network.
    need_out = need_in & tight[np.maximum(gn, 0)]
    st.alive_need[need_out] = False
    st.need_cell[need_out] = ids[gn[need_out]]
    off_out = (go >= 0) & tight[np.maximum(go, 0)]
    st.alive_offer[off_out] = False
    st.offer_cell[off_out] = ids[go[off_out]]


def _round_up(st: _State, arc_offer, arc_need, in_tier, tier: int, oracle=None) -> None:
    """Give whole needs of this tier whose share is not whole a step more, leximin-largest first.

    The needs that can all get their step more (each of the others at its step
    below, every other need at its amount) are the independent sets of a
    matroid on the flow network of **all** the tight sets this tier made, with
    the arcs between them: a step may come from an offer of another tight set
    whose own needs were rounded down (its offers reach needs of higher sets).
    The greedy order (rounded-down fraction lowest first, then the fraction
    rounded up highest first, then input order) gives the leximin-largest
    rounding; the greedy basis is the maximum-weight one for weights decreasing
    along that order, found by one min-cost flow. Tight sets that the rounding
    joins by a flow become one cell (:func:`_join_cells`); their union stays
    tight, so later tiers see the same network.
    """
    cand = np.flatnonzero(in_tier & st.rem & (st.need_cell >= 0))  # a share below 1 is in a tight set
    st.rem[:] = False
    if not len(cand):
        return
    st.roundings += 1
    in_cell = np.zeros(len(st.leaf_level), bool)
    in_cell[np.flatnonzero(np.asarray(st.leaf_tier) == tier)] = True
    offers = np.flatnonzero((st.offer_cell >= 0) & in_cell[np.maximum(st.offer_cell, 0)])
    needs = np.flatnonzero((st.need_cell >= 0) & in_cell[np.maximum(st.need_cell, 0)])
    if oracle is not None:  # every arc among these offers and needs
        arc_offer, arc_need = oracle.between(offers, needs)
    cell_o, cell_n = st.offer_cell[arc_offer], st.need_cell[arc_need]
    keep = (cell_o >= 0) & (cell_n >= 0) & in_cell[np.maximum(cell_o, 0)] & in_cell[np.maximum(cell_n, 0)]
    ao, an = arc_offer[keep], arc_need[keep]
    lo = np.full(len(st.s), -1, np.int64)
    lo[offers] = np.arange(len(offers))
    ln = np.full(len(st.q), -1, np.int64)
    ln[needs] = len(offers) + np.arange(len(needs))
    sink = len(offers) + len(needs)
    met, q = st.met.tolist(), st.q.tolist()
    order = sorted(cand.tolist(), key=lambda i: (Fraction(met[i], q[i]), -Fraction(met[i] + 1, q[i]), i))
    ranked = np.array(order, np.int64)
    weight = len(order) - np.arange(len(order), dtype=np.int64)
    s, m = st.s[offers], st.met[needs]
    r = min_cost_flow(
        sink + 1,
        np.concatenate([lo[ao], np.arange(len(offers)), ln[ranked]]),
        np.concatenate([ln[an], np.full(len(offers), sink), np.full(len(ranked), sink)]),
        np.concatenate([st.s[ao], s, np.ones(len(ranked), np.int64)]),
        np.concatenate([np.zeros(len(ao) + len(offers), np.int64), -weight]),
        np.concatenate([s, -m, [int(m.sum()) - int(s.sum())]]),
    )
    st.met[ranked] += r.flows[len(ao) + len(offers) :]
    used = r.flows[: len(ao)] > 0
    _join_cells(st, ao[used], an[used])
    if oracle is not None:  # the arcs this rounding uses join the core
        oracle.add(ao[used], an[used])


def _join_cells(st: _State, ao, an) -> None:
    """One cell for tight sets joined by a flow across them (least distance keeps to cells)."""
    a, b = st.offer_cell[ao], st.need_cell[an]
    cross = a != b
    if not cross.any():
        return
    n = len(st.leaf_level)
    label = components(n, a[cross], b[cross])
    first = np.full(n, n, np.int64)
    np.minimum.at(first, label, np.arange(n))  # each joined cell is named by its lowest leaf
    rep = first[label]
    st.offer_cell = np.where(st.offer_cell >= 0, rep[np.maximum(st.offer_cell, 0)], -1)
    st.need_cell = np.where(st.need_cell >= 0, rep[np.maximum(st.need_cell, 0)], -1)
