"""The least total distance on a core of arcs, priced out against all arcs.

With every need's ``met`` fixed, the transportation problem of
:mod:`sinfronteras.planning.distance` is solved on the core's allowed arcs
(one OR-Tools min-cost flow: offers supply their quantity, what is not sent
drains to a sink at no cost). OR-Tools gives no potentials, so they are
computed here, exactly, as shortest-path distances ``d`` from a virtual root
(a zero arc to every node) in the residual network of that optimal flow
(Bellman-Ford, scipy): optimal means no negative cycle, and every residual arc
has reduced cost ``c(u, v) + d(u) - d(v) >= 0``. An arc of the full set that
is not in the core carries no flow; if its reduced cost ``c(o, n) + d(o) -
d(n)`` is nonnegative too, the potentials prove the flow optimal over all
arcs. Otherwise the arcs of negative reduced cost join the core and it is
solved again.

The search for such arcs is pruned exactly: for region ``r`` whose needs'
largest ``d`` is ``D``, offer ``o`` can only price out within ``(D - d(o)) /
10**k`` km (costs are counted in ``10**-k`` km).

Before the first solve, the core is made feasible for ``met`` (it always is
after the leximin stage; this is a check): a maximum flow, certified against
all arcs as in :mod:`sinfronteras.planning.core`.
"""

from __future__ import annotations

import math

import numpy as np

from .arcs import Arcs
from . import distance  # BATCH_ARCS is read when batches are cut (tests may change it)
from .distance import COST_DECIMALS
from .arcs import _expand
from .flows import INT_LIMIT, max_flow, min_cost_flow
from .leximin import _components
from .regions import half_circumference_km


def cost_decimals(arrays, offer_s: np.ndarray) -> int:
    """Decimals of a km in the costs, chosen once for the whole problem (3: metres)."""
    r = arrays.offer_radius
    max_km = float(np.max(np.where(np.isfinite(r), r, half_circumference_km()), initial=0.0))
    nodes = len(arrays.offer_quantity) + len(arrays.need_quantity) + 2
    total = max(int(offer_s.sum()), nodes)
    return min(COST_DECIMALS, math.floor(math.log10(INT_LIMIT / (max(max_km, 1e-9) * total))))


def priced_distance(core, met, offer_s, offer_cell, need_cell, progress=None):
    """Arcs and their integer flows delivering ``met`` at least total distance over all arcs.

    Returns
    -------
    arcs : Arcs
        The core's allowed arcs at the end.
    flow : ndarray of int64
        The flow on each.
    rounds : int
        Min-cost flows solved.
    """
    src = core.src
    a = src.a
    k = cost_decimals(a, offer_s)
    needs = np.flatnonzero(met > 0)
    allowed = lambda o, n: (offer_cell[o] == need_cell[n]) & (met[n] > 0)  # noqa: E731
    _make_feasible(core, met, offer_s, allowed, needs)
    rounds = 0
    prev = None
    while True:
        arcs = _allowed(core.arcs, allowed)
        rounds += 1
        flow, dist = solve_with_potentials(arcs, met, offer_s, k, getattr(src, "run_batches", None))
        if progress is not None:
            progress(f"least distance: round {rounds}, {len(arcs)} arcs")
        n_o = len(offer_s)
        d_o, d_n = dist[:n_o], dist[n_o : n_o + len(met)]
        top = np.full(src.n_regions, -(2**62), np.int64)
        np.maximum.at(top, src.need_region[needs], d_n[needs])
        scale = 10.0**k

        def reach(r, offers, top=top, d_o=d_o, scale=scale):
            return (top[r] - d_o[offers] + 1).astype(float) / scale

        found = []
        for c in _to_price(src, needs, reach, prev, d_o, d_n):
            m = allowed(c.offer, c.need)
            rc = np.rint(c.km * scale).astype(np.int64) + d_o[c.offer] - d_n[c.need]
            m &= rc < 0
            if m.any():
                found.append(Arcs(c.offer[m], c.need[m], c.km[m]))
        core.searches += 1
        prev = d_o, d_n
        if not found:
            return arcs, flow, rounds
        before = len(core)
        for f in found:
            core.add(f.offer, f.need, f.km)
        if len(core) == before:  # never: the core's own arcs all have nonnegative reduced costs
            raise RuntimeError("pricing found only arcs already in the core")


def _to_price(src, needs, reach, prev, d_o, d_n):
    """The arcs to price: all at first; then those with an end whose potential changed.

    An arc whose two potentials are those of the last round kept its reduced
    cost, which was nonnegative (it was not found).
    """
    if prev is None:
        yield from src.arcs(None, needs, reach)
        return
    ch_o = np.flatnonzero(prev[0] != d_o)
    ch_n = needs[prev[1][needs] != d_n[needs]]
    if len(ch_o):
        yield from src.arcs(ch_o, needs, reach)
    if len(ch_n):
        same_o = np.flatnonzero(prev[0] == d_o)
        yield from src.arcs(same_o, ch_n, reach)


def _allowed(arcs: Arcs, allowed) -> Arcs:
    m = allowed(arcs.offer, arcs.need)
    return Arcs(arcs.offer[m], arcs.need[m], arcs.km[m])


def _make_feasible(core, met, offer_s, allowed, needs) -> None:
    """Grow the core until its allowed arcs can deliver every ``met`` (a certified maximum flow)."""
    n_o, n_n = len(offer_s), len(met)
    while True:
        arcs = _allowed(core.arcs, allowed)
        src, snk = n_o + n_n, n_o + n_n + 1
        r = max_flow(
            n_o + n_n + 2,
            np.concatenate([np.full(n_o, src), arcs.offer, needs + n_o]),
            np.concatenate([np.arange(n_o), arcs.need + n_o, np.full(len(needs), snk)]),
            np.concatenate([offer_s, offer_s[arcs.offer], met[needs]]),
            src,
            snk,
        )
        if r.value >= int(met.sum()):
            return
        so, sn = r.source_side[:n_o], r.source_side[n_o : n_o + n_n]
        o, n = np.flatnonzero(so), np.flatnonzero(~sn & (met > 0))
        eo, _ = core.search(core.src.arcs(o, n), allowed)
        if not len(eo):
            raise RuntimeError("the needs' met cannot be delivered over all arcs")  # never: leximin made it


def solve_with_potentials(arcs: Arcs, met, offer_s, k: int, run_batches=None):
    """Least-cost flow on ``arcs`` and exact potentials ``d`` (offers, then needs; the sink's is 0).

    One OR-Tools min-cost flow per batch of connected components (as
    :func:`sinfronteras.planning.distance.least_distance` does); each batch's
    potentials are shortest-path distances in its residual network, from the
    sink (nodes it does not reach start a constant above every path), so every
    sink has potential 0 and the batches' potentials make one dual of the
    whole network. An offer in no arc drains everything: its potential is 0.
    ``run_batches(parts, met, offer_s, k)``, if given, solves the batches
    (lists of ``(offer, need, km)``) elsewhere (Ray tasks) and returns
    :func:`solve_batches`' answer.

    Examples
    --------
    >>> import numpy as np
    >>> arcs = Arcs(np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([5.0, 1.0, 2.0]))
    >>> flow, d = solve_with_potentials(arcs, np.array([3, 2]), np.array([10, 4]), 0)
    >>> flow.tolist(), d.tolist()
    ([1, 2, 2], [0, 4, 5, 6])
    >>> c = np.array([5, 1, 2]); bool((c + d[arcs.offer] - d[2 + arcs.need] >= 0).all())
    True
    """

    n_o, n_n = len(offer_s), len(met)
    dist = np.zeros(n_o + n_n, np.int64)
    flow = np.zeros(len(arcs), np.int64)
    if not len(arcs):
        return flow, dist
    label = _components(n_o, n_n, arcs.offer, arcs.need)
    comp = label[arcs.offer]
    order = np.argsort(comp, kind="stable")
    starts = np.flatnonzero(np.r_[True, comp[order][1:] != comp[order][:-1]])
    bounds = np.r_[starts, len(order)]
    lo, parts = 0, []
    while lo < len(starts):
        hi = max(int(np.searchsorted(bounds, bounds[lo] + distance.BATCH_ARCS, "right")) - 1, lo + 1)
        parts.append(order[bounds[lo] : bounds[hi]])
        lo = hi
    work = [(arcs.offer[p], arcs.need[p], arcs.km[p]) for p in parts]
    answers = (run_batches or solve_batches)(work, met, offer_s, k)
    for part, (f, d_o, d_n, offers, needs) in zip(parts, answers):
        flow[part] = f
        dist[offers], dist[n_o + needs] = d_o, d_n
    return flow, dist


def solve_batches(work, met, offer_s, k):
    """:func:`_batch` on each ``(offer, need, km)`` of ``work``, in order."""
    return [_batch(ao, an, km, met, offer_s, k) for ao, an, km in work]


def _batch(ao, an, km, met, offer_s, k):
    offers, lo = np.unique(ao, return_inverse=True)
    needs, ln = np.unique(an, return_inverse=True)
    lo, ln = lo.reshape(-1), ln.reshape(-1)
    no, nn = len(offers), len(needs)
    s, m = offer_s[offers], met[needs]
    sink = no + nn
    cost = np.rint(km * 10.0**k).astype(np.int64)
    # One more than any flow can use: every arc stays residual forward, so its reduced cost is >= 0.
    cap = np.minimum(s[lo], m[ln]) + 1
    r = min_cost_flow(
        sink + 1,
        np.concatenate([lo, np.arange(no)]),
        np.concatenate([ln + no, np.full(no, sink)]),
        np.concatenate([cap, s]),
        np.concatenate([cost, np.zeros(no, np.int64)]),
        np.concatenate([s, -m, [int(m.sum()) - int(s.sum())]]),
    )
    f, drain = r.flows[: len(ao)], r.flows[len(ao) :]
    d = potentials(lo, ln + no, f, cap, cost, drain, s)
    return f, d[:no], d[no:sink], offers, needs


def potentials(o, n, flow, cap, cost, drain, s) -> np.ndarray:
    """Shortest-path distances from the sink (node ``len(s) + needs``) in a residual network.

    Nodes: offers ``0..len(s)-1``, needs ``o``/``n`` index, then the sink. A
    node the sink does not reach starts at a constant above every path (a
    virtual root), so the distances are defined everywhere; with no negative
    cycle (the flow is optimal) every residual arc ``(u, v)`` has ``cost + d[u]
    - d[v] >= 0``.
    """
    no = len(s)
    sink = no + (int(n.max()) - no + 1 if len(n) else 0)
    offers = np.arange(no)
    fwd, back = flow < cap, flow > 0
    spare, used = drain < s, drain > 0
    tails = np.concatenate([o[fwd], n[back], offers[spare], np.full(int(used.sum()), sink)])
    heads = np.concatenate([n[fwd], o[back], np.full(int(spare.sum()), sink), offers[used]])
    w = np.concatenate([cost[fwd], -cost[back], np.zeros(int(spare.sum()) + int(used.sum()), np.int64)])
    big = int(np.abs(cost).sum()) + 1
    d = np.full(sink + 1, big, np.int64)
    d[sink] = 0
    return bellman_ford(sink + 1, tails, heads, w, d)


def bellman_ford(n_nodes: int, tails, heads, w, d) -> np.ndarray:
    """Shortest-path distances by label correcting from starting labels ``d`` (changed in place).

    Each pass relaxes the arcs out of the nodes whose label fell in the last
    pass (all at first), until none falls.

    >>> import numpy as np
    >>> bellman_ford(3, np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([2, -3, 1]), np.array([0, 9, 9])).tolist()
    [0, 2, -1]
    """

    order = np.argsort(tails, kind="stable")
    tails, heads, w = tails[order], heads[order], w[order]
    ptr = np.searchsorted(tails, np.arange(n_nodes + 1))
    frontier = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        _, pos = _expand(ptr[frontier], ptr[frontier + 1])
        if not len(pos):
            return d
        cand = d[tails[pos]] + w[pos]
        h = heads[pos]
        better = cand < d[h]
        if not better.any():
            return d
        h, cand = h[better], cand[better]
        np.minimum.at(d, h, cand)
        frontier = np.unique(h)
    raise RuntimeError("a negative cycle: the flow was not optimal")
