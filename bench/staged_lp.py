"""The generic baseline: the same plan by staged linear programs (HiGHS via scipy).

Per tier, repeatedly: maximise the lowest fraction t of the tier's open needs
(earlier levels held as lower bounds), then hold at t every need whose
constraint has a positive dual (it cannot rise without another falling);
finally one LP for the least distance with every met fixed. This is the
textbook way to compute a leximin plan with a general LP solver.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse
from scipy.optimize import linprog


class Budget(Exception):
    """The staged LP ran out of its time budget."""


def staged_lp(arc_offer, arc_need, km, need_q, offer_s, need_tier, budget_s: float = 600.0) -> dict:
    """Run the staged LP; returns met, distance, number of LPs and seconds."""
    start = time.perf_counter()
    m, n_n, n_o = len(arc_offer), len(need_q), len(offer_s)
    cols = np.arange(m)
    into = sparse.csr_matrix((np.ones(m), (arc_need, cols)), shape=(n_n, m))
    out = sparse.csr_matrix((np.ones(m), (arc_offer, cols)), shape=(n_o, m))
    lower = np.zeros(n_n)
    reach = np.bincount(arc_need, minlength=n_n) > 0
    lps = 0
    for tier in (1, 2, 3, 4):
        free = np.flatnonzero((need_tier == tier) & reach)
        while len(free):
            if time.perf_counter() - start > budget_s:
                raise Budget(f"{lps} LPs in {budget_s:.0f} s")
            level, duals = _maximin(into, out, need_q, offer_s, lower, free)
            lps += 1
            stuck = free[duals > 1e-9] if level < 1 - 1e-9 else free
            lower[stuck] = level * need_q[stuck] * (1 - 1e-7)  # slack for the solver's tolerances
            free = np.setdiff1d(free, stuck)
    a_ub = sparse.vstack([out, -into, into]).tocsr()
    b_ub = np.concatenate([offer_s, -(lower - 1e-9), need_q])
    r = linprog(km, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    lps += 1
    return {"met": lower, "distance_km": float(r.fun), "lps": lps, "seconds": time.perf_counter() - start}


def _maximin(into, out, q, s, lower, free):
    """max t s.t. met_i >= t q_i (free), met_i >= lower_i (others), supplies, met <= q."""
    m = into.shape[1]
    n_free = len(free)
    t_col = sparse.csr_matrix(np.zeros((into.shape[0], 1)))
    t_free = sparse.csr_matrix((q[free], (np.arange(n_free), np.zeros(n_free, int))), shape=(n_free, 1))
    rows = [
        sparse.hstack([out, sparse.csr_matrix((out.shape[0], 1))]),
        sparse.hstack([into, t_col]),
        sparse.hstack([-into[free], t_free]),
        sparse.hstack([-into, t_col]),
    ]
    b = np.concatenate([s, q, np.zeros(n_free), -(lower - 1e-9)])
    c = np.zeros(m + 1)
    c[-1] = -1.0
    bounds = [(0, None)] * m + [(0, 1)]
    r = linprog(c, A_ub=sparse.vstack(rows).tocsr(), b_ub=b, bounds=bounds, method="highs")
    if r.status != 0:
        raise RuntimeError(r.message)
    k = out.shape[0] + into.shape[0]
    duals = -r.ineqlin.marginals[k : k + n_free]
    return float(-r.fun), duals
