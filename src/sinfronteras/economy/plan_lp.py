"""Tiered leximin over gross outputs, for tables whose coefficients are not all non-negative.

With a negative coefficient (published tables built from make and use tables
carry a few: by-products), producing more of one product can lower the need for
another, so the least gross output ``(I - A)^-1 d`` is no longer the best choice
and the reduced form of :mod:`.plan` does not apply. This module solves the
definition directly: variables every gross output ``x``, every fraction ``f``
and a level ``t``; rows ``(I - A) x >= d(f)``, ``l . x <= labour`` and
``x <= capacity``; maximin LPs with HiGHS, fixing the fractions whose floor has
a dual, tier by tier.
"""

from __future__ import annotations

import numpy as np


def plan_by_lp(economy, q, p, tiers, labour, cap):
    """Fractions, levels per tier, held rows and gross output; same semantics as :mod:`.plan`."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    n, m = economy.n, len(q)
    capped = np.flatnonzero(np.isfinite(cap))
    blocks = [sp.hstack([-(sp.identity(n) - economy.sparse), sp.csr_matrix((q, (p, np.arange(m))),
                                                                           shape=(n, m)),
                         sp.csr_matrix((n, 1))])]
    rhs = [np.zeros(n)]
    names = []
    if labour is not None:
        blocks.append(sp.hstack([sp.csr_matrix(economy.labour.reshape(1, -1)), sp.csr_matrix((1, m + 1))]))
        rhs.append(np.array([labour]))
        names.append(("labour", None))
    if len(capped):
        blocks.append(sp.csr_matrix((np.ones(len(capped)), (np.arange(len(capped)), capped)),
                                    shape=(len(capped), n + m + 1)))
        rhs.append(cap[capped])
        names.extend(("capacity", int(c)) for c in capped)
    fixed = np.where(q > 0, np.nan, 1.0)
    levels, held, x = {}, [], np.zeros(n)
    first = int(tiers.min()) if m else 1
    for tier in sorted(set(tiers.tolist())):
        levels[tier] = []
        while True:
            free = np.flatnonzero((tiers == tier) & np.isnan(fixed))
            if not len(free):
                break
            floors = sp.csr_matrix((np.r_[-np.ones(len(free)), np.ones(len(free))],
                                    (np.r_[np.arange(len(free)), np.arange(len(free))],
                                     np.r_[n + free, np.full(len(free), n + m)])),
                                   shape=(len(free), n + m + 1))
            bounds = [(0, None)] * n + [
                (fixed[k], fixed[k]) if not np.isnan(fixed[k]) else ((0, 1) if tiers[k] == tier else (0, 0))
                for k in range(m)] + [(0, 1)]
            objective = np.zeros(n + m + 1)
            objective[-1] = -1.0
            res = linprog(objective, A_ub=sp.vstack(blocks + [floors]).tocsr(),
                          b_ub=np.concatenate(rhs + [np.zeros(len(free))]), bounds=bounds, method="highs")
            t, x = float(min(1.0, max(0.0, res.x[-1]))), res.x[:n]
            duals = -res.ineqlin.marginals
            hold = free if t >= 1 - 1e-9 else free[duals[-len(free):] > 1e-9]
            hold = hold if len(hold) else free
            fixed[hold] = 1.0 if t >= 1 - 1e-9 else t
            levels[tier].append(float(fixed[hold[0]]))
            if t < 1 - 1e-9:
                row_duals = duals[n:n + len(names)]
                for r in np.flatnonzero(row_duals > 1e-12):
                    held.append((names[r], t, float(row_duals[r]), len(hold), tier,
                                 tier > first and t == 0.0))
    return np.nan_to_num(fixed, nan=1.0), levels, held, x
