"""A replan keeps its word: with every need's ``met`` fixed, keep the most of the previous plan.

People were told about the previous plan's allocations (who gives what to whom).
Once the leximin tiers have fixed every need's ``met``, this stage chooses,
among all flows that deliver exactly that ``met``, one that keeps the largest
quantity of the previous allocations (``sum min(x_ji, p_ji)`` over the previous
arcs), and among those the least total distance. Every need's ``met`` is the
one the tiers gave: that is the contract, and it holds by construction (the
needs' demands are fixed at ``met``).

Both objectives are exact, lexicographically, with two min-cost flows per batch
of connected components (OR-Tools), and no large weight that could overflow:

1. **Keep.** Each previous arc (j, i) gets a parallel arc of capacity
   ``p_ji`` and cost -1; every arc also has its ordinary copy at cost 0.
   Offers supply their quantity (what is not sent drains to a sink), needs
   take exactly ``met``. The least cost is minus the most that can be kept.
2. **Least distance among those.** Exact potentials of that optimal flow (the
   shortest-path distances in its residual network, as in
   :mod:`sinfronteras.planning.certify`) say, by complementary slackness,
   which arcs every keep-optimal flow leaves empty (positive reduced cost),
   fills (negative) or may use freely (zero). With those fixed, the least
   distance is a min-cost flow with the arcs' distances as costs; each of its
   flows is keep-optimal.

Quantities are integers (units or whole steps, see :mod:`sinfronteras.planning.solve`),
so are the flows: every allocation of a resource with a step stays whole.
"""

from __future__ import annotations

import math

import numpy as np

from .arcs import Arcs
from .distance import BATCH_ARCS, COST_DECIMALS
from .errors import SolverError
from .flows import INT_LIMIT, min_cost_flow
from .certify import bellman_ford
from .leximin import _components


def previous_units(problem, arcs: Arcs, sc) -> tuple[np.ndarray, np.ndarray]:
    """The problem's previous allocations as (arc index, integer quantity).

    An entry whose offer or need is not in the problem, or whose pair is not an
    arc, is left out without an error (it no longer exists). Entries of one pair
    add up. Quantities are counted like the plan's (``sc``: units of ``1 /
    scale``; for a resource with a step, whole steps, a part of a step counting as the
    step).
    """
    a = problem.arrays
    offer_at = {o.id: j for j, o in enumerate(problem.offers)}
    need_at = {n.id: i for i, n in enumerate(problem.needs)}
    pairs = [(offer_at[p.offer], need_at[p.need], p.quantity) for p in problem.previous
             if p.offer in offer_at and p.need in need_at and p.quantity > 0]
    if not pairs or not len(arcs):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    j, i, q = (np.array(col) for col in zip(*pairs))
    j, i, q = j.astype(np.int64), i.astype(np.int64), q.astype(float)
    n_n = len(a.need_quantity)
    key = arcs.offer * n_n + arcs.need  # arcs are sorted by offer, then need
    want = j * n_n + i
    pos = np.minimum(np.searchsorted(key, want), len(key) - 1)
    found = key[pos] == want
    pos, j, q = pos[found], j[found], q[found]
    step = a.offer_step[j]
    in_steps = np.ceil(q / np.where(step > 0, step, 1) - 1e-9)
    units = np.where(step > 0, in_steps, np.rint(q * sc.scale)).astype(np.int64)
    arc, inverse = np.unique(pos, return_inverse=True)
    total = np.zeros(len(arc), np.int64)
    np.add.at(total, inverse.reshape(-1), units)
    keep = total > 0
    return arc[keep], total[keep]


def stable_flow(
    arcs: Arcs,
    met: np.ndarray,
    offer_s: np.ndarray,
    prev_arc: np.ndarray,
    prev_units: np.ndarray,
    allowed: np.ndarray | None = None,
    k: int | None = None,
    potentials: bool = False,
):
    """Arc flows (integers) delivering exactly ``met``, keeping the most of ``prev``, then least distance.

    Parameters
    ----------
    arcs : Arcs
    met : ndarray of int64
        What every need gets (fixed by the leximin tiers).
    offer_s : ndarray of int64
        What every offer holds.
    prev_arc, prev_units : ndarray of int64
        Previous allocations: the arc (index into ``arcs``) and its quantity.
    allowed : ndarray of bool, optional
        Arcs that a plan with this ``met`` may use.
    k : int, optional
        Decimals of a km in the distance costs (default: per batch, metres if they fit).
    potentials : bool
        Also return exact potentials of both stages, ``(flow, keep, distance)``, each an
        array over offers then needs (the shared sink's is 0): an arc not in ``arcs``
        could keep more only if ``keep[o] < keep[n]``, and could shorten the distance
        only if ``keep[o] == keep[n]`` and ``cost + distance[o] - distance[n] < 0``
        (:mod:`sinfronteras.planning.sparse` prices all arcs with them).

    Examples
    --------
    Offer 0 is 1 km from need 0, offer 1 is 5 km away. Least distance alone
    sends 3 from offer 0; the previous plan had offer 1 give 2 to need 0, and
    it keeps those 2.

    >>> import numpy as np
    >>> arcs = Arcs(np.array([0, 1]), np.array([0, 0]), np.array([1.0, 5.0]))
    >>> stable_flow(arcs, np.array([3]), np.array([3, 3]), np.array([1]), np.array([2])).tolist()
    [1, 2]
    """
    use = met[arcs.need] > 0
    if allowed is not None:
        use &= allowed
    flow = np.zeros(len(arcs), np.int64)
    n_o = len(offer_s)
    keep_d = np.zeros(n_o + len(met), np.int64)
    dist_d = np.zeros(n_o + len(met), np.int64)
    if not use.any():
        return (flow, keep_d, dist_d) if potentials else flow
    prev = np.zeros(len(arcs), np.int64)
    prev[prev_arc] = prev_units
    idx = np.flatnonzero(use)
    label = _components(len(offer_s), len(met), arcs.offer[idx], arcs.need[idx])
    comp = label[arcs.offer[idx]]
    order = np.argsort(comp, kind="stable")
    idx, comp = idx[order], comp[order]
    starts = np.flatnonzero(np.r_[True, comp[1:] != comp[:-1]])
    bounds = np.r_[starts, len(idx)]
    lo = 0
    while lo < len(starts):
        hi = max(int(np.searchsorted(bounds, bounds[lo] + BATCH_ARCS, "right")) - 1, lo + 1)
        part = idx[bounds[lo] : bounds[hi]]
        f, offers, needs, da, db = _solve(arcs.offer[part], arcs.need[part], arcs.km[part], prev[part], met,
                                          offer_s, k)
        flow[part] = f
        keep_d[offers], keep_d[n_o + needs] = da[: len(offers)], da[len(offers) : -1]
        dist_d[offers], dist_d[n_o + needs] = db[: len(offers)], db[len(offers) : -1]
        lo = hi
    return (flow, keep_d, dist_d) if potentials else flow


def kept_units(flow: np.ndarray, prev_arc: np.ndarray, prev_units: np.ndarray) -> np.ndarray:
    """Per previous allocation, how much of it the flow keeps: ``min(flow, previous)``."""
    return np.minimum(flow[prev_arc], prev_units)


def _solve(ao, an, km, prev, met, offer_s, k=None):
    offers, lo = np.unique(ao, return_inverse=True)
    needs, ln = np.unique(an, return_inverse=True)
    lo, ln = lo.reshape(-1), ln.reshape(-1)
    no, nn = len(offers), len(needs)
    s, m = offer_s[offers], met[needs]
    sink = no + nn
    n_arcs = len(ao)
    cap = np.minimum(s[lo], m[ln])
    bonus = np.flatnonzero(prev > 0)
    # Arcs: every pair at cost 0, the previous pairs again at cost -1, then the drains.
    tails = np.concatenate([lo, lo[bonus], np.arange(no)])
    heads = np.concatenate([ln + no, ln[bonus] + no, np.full(no, sink)])
    caps = np.concatenate([cap, np.minimum(prev[bonus], cap[bonus]), s])
    keep_cost = np.concatenate([np.zeros(n_arcs, np.int64), np.full(len(bonus), -1, np.int64),
                                np.zeros(no, np.int64)])
    supply = np.concatenate([s, -m, [int(m.sum()) - int(s.sum())]])
    first = min_cost_flow(sink + 1, tails, heads, caps, keep_cost, supply)
    d = _potentials(sink + 1, tails, heads, caps, keep_cost, first.flows)
    rc = keep_cost + d[tails] - d[heads]
    fixed = np.where(rc < 0, caps, 0)
    free = rc == 0
    supply = supply.copy()
    np.subtract.at(supply, tails, fixed)
    np.add.at(supply, heads, fixed)
    arc_km = np.concatenate([km, km[bonus], np.zeros(no)])
    second, cost = _least_distance(sink + 1, tails[free], heads[free], caps[free], arc_km[free], supply, k)
    total = fixed.copy()
    total[free] += second
    flow = total[:n_arcs] + np.bincount(bonus, weights=total[n_arcs : n_arcs + len(bonus)],
                                        minlength=n_arcs).astype(np.int64)
    db = _potentials(sink + 1, tails[free], heads[free], caps[free], cost, second)
    return flow, offers, needs, d, db


def _potentials(n_nodes, tails, heads, caps, cost, flow) -> np.ndarray:
    """Potentials ``d`` with ``cost + d[u] - d[v] >= 0`` on every residual arc of an optimal flow.

    Shortest-path distances from the sink (the last node, potential 0) in the residual
    network; a node the sink does not reach starts a constant above every path. Every
    batch's sink is at 0, so the batches' potentials are one dual of the whole network
    (whose offers all drain to one sink), as in :mod:`sinfronteras.planning.certify`.
    """
    fwd, back = flow < caps, flow > 0
    t = np.concatenate([tails[fwd], heads[back]])
    h = np.concatenate([heads[fwd], tails[back]])
    w = np.concatenate([cost[fwd], -cost[back]])
    d = np.full(n_nodes, int(np.abs(cost).sum()) + 1, np.int64)
    d[n_nodes - 1] = 0
    return bellman_ford(n_nodes, t, h, w, d)


def _least_distance(n_nodes, tails, heads, caps, km, supply, k=None):
    """The least-distance flow and the integer costs it used (``k`` decimals of a km)."""
    if k is None:
        total = int(caps.sum()) + 2
        max_km = max(float(km.max(initial=0.0)), 1e-9)
        k = min(COST_DECIMALS, math.floor(math.log10(INT_LIMIT / (max_km * max(total, n_nodes + 2)))))
        retry = True
    else:
        retry = False
    while True:
        cost = np.rint(km * 10.0**k).astype(np.int64)
        try:
            return min_cost_flow(n_nodes, tails, heads, caps, cost, supply).flows, cost
        except SolverError:
            if not retry or k < -3:
                raise
            k -= 1  # a cost range too large for the solver: coarser distances
