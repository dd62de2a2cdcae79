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
from .distance import COST_DECIMALS
from .flows import INT_LIMIT, max_flow, min_cost_flow
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
    while True:
        arcs = _allowed(core.arcs, allowed)
        rounds += 1
        flow, dist = solve_with_potentials(arcs, met, offer_s, k)
        if progress is not None:
            progress(f"least distance: round {rounds}, {len(arcs)} arcs")
        n_o = len(offer_s)
        d_o, d_n = dist[:n_o], dist[n_o : n_o + len(met)]
        top = np.full(src.n_regions, -np.inf)
        np.maximum.at(top, src.need_region[needs], d_n[needs])
        scale = 10.0**k

        def reach(r, offers, top=top, d_o=d_o, scale=scale):
            return (top[r] - d_o[offers] + 1.0) / scale

        found = []
        for c in src.arcs(None, needs, reach):
            m = allowed(c.offer, c.need)
            rc = np.rint(c.km * scale) + d_o[c.offer] - d_n[c.need]
            m &= rc < 0
            if m.any():
                found.append(Arcs(c.offer[m], c.need[m], c.km[m]))
        core.searches += 1
        if not found:
            return arcs, flow, rounds
        before = len(core)
        for f in found:
            core.add(f.offer, f.need, f.km)
        if len(core) == before:  # never: the core's own arcs all have nonnegative reduced costs
            raise RuntimeError("pricing found only arcs already in the core")


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


def solve_with_potentials(arcs: Arcs, met, offer_s, k: int):
    """Least-cost flow on ``arcs`` and exact node potentials (offers, needs, sink) from its residual network.

    Examples
    --------
    >>> import numpy as np
    >>> arcs = Arcs(np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([5.0, 1.0, 2.0]))
    >>> flow, d = solve_with_potentials(arcs, np.array([3, 2]), np.array([10, 4]), 0)
    >>> flow.tolist()
    [1, 2, 2]
    >>> c = np.array([5, 1, 2]); bool((c + d[arcs.offer] - d[2 + arcs.need] >= 0).all())
    True
    """
    n_o, n_n = len(offer_s), len(met)
    sink = n_o + n_n
    cost = np.rint(arcs.km * 10.0**k).astype(np.int64)
    # One more than any flow can use: every arc stays residual forward, so its reduced cost is >= 0.
    cap = np.minimum(offer_s[arcs.offer], met[arcs.need]) + 1
    r = min_cost_flow(
        sink + 1,
        np.concatenate([arcs.offer, np.arange(n_o)]),
        np.concatenate([arcs.need + n_o, np.full(n_o, sink)]),
        np.concatenate([cap, offer_s]),
        np.concatenate([cost, np.zeros(n_o, np.int64)]),
        np.concatenate([offer_s, -met, [int(met.sum()) - int(offer_s.sum())]]),
    )
    flow = r.flows[: len(arcs)]
    drain = r.flows[len(arcs) :]
    return flow, potentials(arcs, flow, cap, cost, drain, offer_s, n_n)


def potentials(arcs: Arcs, flow, cap, cost, drain, offer_s, n_n: int) -> np.ndarray:
    """Shortest-path distances from a virtual root in the residual network (Bellman-Ford)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import bellman_ford

    n_o = len(offer_s)
    sink, root = n_o + n_n, n_o + n_n + 1
    o, n = arcs.offer, arcs.need + n_o
    fwd, back = flow < cap, flow > 0
    offers = np.arange(n_o)
    spare, used = drain < offer_s, drain > 0
    tails = np.concatenate([o[fwd], n[back], offers[spare], np.full(int(used.sum()), sink), np.full(root, root)])
    heads = np.concatenate([n[fwd], o[back], np.full(int(spare.sum()), sink), offers[used], np.arange(root)])
    w = np.concatenate([cost[fwd], -cost[back], np.zeros(int(spare.sum()) + int(used.sum()) + root)])
    g = csr_matrix((w.astype(float), (tails, heads)), shape=(root + 1, root + 1))
    d = bellman_ford(g, directed=True, indices=root)
    return d[:root]
