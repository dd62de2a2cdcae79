"""An independent reference for whole steps, on the planner's arrays: LPs and MILPs (HiGHS).

The definition (docs/planning-formats.md), one tier given the earlier tiers'
amounts, with steps of one unit:

1. the exact leximin shares, by the textbook staged linear programs: the
   largest common level of the open needs; the needs that cannot go above it
   while the others keep it are fixed there; repeat;
2. each need's share rounded down or up to a whole step;
3. of the roundings a flow can deliver, the leximin-largest: for each value
   ``v`` in increasing order, the most needs lifted above ``v`` (a MILP each).

Nothing here uses the planner's code; sparse matrices keep 400+ needs quick.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, hstack, vstack

#: HiGHS tolerances tight enough that shares are good to about 1e-9.
TOL = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
SLACK = 1e-8  # lower bounds are relaxed by this, so that float levels stay feasible
MOVES = 1e-5  # a need that can gain more than this is not stuck
EPS = 1e-6  # a share this close to a whole step is whole


class Net:
    """Offers ``s`` and needs ``q`` (whole steps), joined by arcs (offer, need)."""

    def __init__(self, ao, an, q, s) -> None:
        self.q, self.s = np.asarray(q, float), np.asarray(s, float)
        self.e = len(ao)
        cols = np.arange(self.e)
        self.into = csr_matrix((np.ones(self.e), (np.asarray(an), cols)), shape=(len(self.q), self.e))
        self.out = csr_matrix((np.ones(self.e), (np.asarray(ao), cols)), shape=(len(self.s), self.e))
        self.reached = set(np.asarray(an).tolist())

    def rows(self, lower: dict[int, float], extra: int):
        """``A x <= b`` for supply, ``met <= q`` and ``met_i >= lower_i``; x = (flows, extra)."""
        pad = lambda k: csr_matrix((k, extra))  # noqa: E731
        a = [hstack([self.out, pad(len(self.s))]), hstack([self.into, pad(len(self.q))])]
        b = [self.s + 1e-9, self.q + 1e-9]
        if lower:
            idx = np.array(sorted(lower))
            a.append(hstack([-self.into[idx], pad(len(idx))]))
            b.append(-np.array([lower[i] for i in idx]))
        return vstack(a).tocsr(), np.concatenate(b)

    def _lp(self, c, a, b, bounds):
        r = linprog(c, A_ub=a, b_ub=b, bounds=bounds, method="highs", options=TOL)
        assert r.status == 0, r.message
        return r

    def level(self, free: list[int], lower: dict[int, float]) -> float:
        """The largest ``lam`` with every free need at ``lam q_i`` or more."""
        a, b = self.rows(lower, 1)
        a = vstack([a, hstack([-self.into[free], csr_matrix(self.q[free][:, None])])]).tocsr()
        c = np.zeros(self.e + 1)
        c[-1] = -1.0
        r = self._lp(c, a, np.concatenate([b, np.zeros(len(free))]), [(0, None)] * self.e + [(0, 1)])
        return -r.fun

    def stuck(self, free: list[int], lam: float, lower: dict[int, float]) -> list[int]:
        """The free needs that cannot go above ``lam`` while every other keeps it.

        The needs that can go above can all do so at once (average their plans),
        so: maximise the sum of gains (each at most 1); those that gain are free;
        repeat with the rest until none gains.
        """
        trial = {**lower, **{i: lam * self.q[i] - SLACK for i in free}}
        rest = list(free)
        while rest:
            k = len(rest)
            a, b = self.rows(trial, k)
            gain = csr_matrix((np.ones(k), (np.arange(k), np.arange(k))), shape=(k, k))
            a = vstack([a, hstack([-self.into[rest], gain])]).tocsr()
            b = np.concatenate([b, -np.array([lam * self.q[i] - SLACK for i in rest])])
            c = np.concatenate([np.zeros(self.e), -np.ones(k)])
            r = self._lp(c, a, b, [(0, None)] * self.e + [(0, 1)] * k)
            moved = {i for i, g in zip(rest, r.x[self.e :]) if g > MOVES}
            if not moved:
                break
            rest = [i for i in rest if i not in moved]
        return rest

    def shares(self, needs: list[int], fixed: dict[int, float]) -> dict[int, float]:
        """Exact leximin shares of ``needs`` given the earlier tiers' ``fixed`` amounts."""
        free = [i for i in needs if i in self.reached]
        share = {i: 0.0 for i in needs}
        lower = {i: v - SLACK for i, v in fixed.items()}
        while free:
            lam = self.level(free, lower)
            stuck = self.stuck(free, lam, lower)
            assert stuck, "some need must be stuck at the largest level"
            for i in stuck:
                share[i] = lam * self.q[i]
                lower[i] = share[i] - SLACK
            free = [i for i in free if i not in set(stuck)]
        return share


def rounded_tier(net: Net, needs: list[int], fixed: dict[int, float]) -> list[float]:
    """Sorted fulfilled fractions of the tier by the definition (steps of one unit)."""
    share = net.shares(needs, fixed)
    base, cand = {}, []
    for i in needs:
        lo, hi = math.floor(share[i] + EPS), math.ceil(share[i] - EPS)
        base[i] = float(lo)
        if hi > lo:
            cand.append(i)
    if not cand:
        return sorted(base[i] / net.q[i] for i in needs)
    k, nv = len(cand), net.e + len(cand)
    a, b = net.rows({**{i: v - SLACK for i, v in fixed.items()}, **{i: base[i] for i in needs if i not in cand}}, k)
    lift = csr_matrix((-np.ones(k), (np.arange(k), np.arange(k))), shape=(k, k))
    exact = np.array([base[i] for i in cand])
    cons = [LinearConstraint(a, -np.inf, b),
            LinearConstraint(hstack([net.into[cand], lift]).tocsr(), exact - 1e-9, exact + 1e-9)]
    integrality = np.concatenate([np.zeros(net.e), np.ones(k)])
    bounds = Bounds(np.zeros(nv), np.concatenate([np.full(net.e, np.inf), np.ones(k)]))
    low = {i: base[i] / net.q[i] for i in cand}
    high = {i: (base[i] + 1) / net.q[i] for i in cand}
    # Leximin, value by value: at each value v, the most needs lifted from at or below v to above it.
    for v in sorted(set(low.values()) | set(high.values())):
        up = [j for j, i in enumerate(cand) if low[i] <= v + 1e-12 < high[i]]
        if not up:
            continue
        c = np.zeros(nv)
        c[[net.e + j for j in up]] = -1.0
        r = milp(c, constraints=cons, integrality=integrality, bounds=bounds)
        assert r.status == 0, r.message
        cons.append(LinearConstraint(csr_matrix(-c[None, :]), -r.fun - 0.5, np.inf))
    r = milp(np.zeros(nv), constraints=cons, integrality=integrality, bounds=bounds)
    assert r.status == 0, r.message
    met = dict(base)
    for j, i in enumerate(cand):
        met[i] += round(r.x[net.e + j])
    return sorted(met[i] / net.q[i] for i in needs)
