"""An independent tiered leximin for economy plans: HiGHS over gross outputs and fractions.

It never uses the reduced form: its variables are every gross output x, every
fraction f and a level t; its rows are (I - A) x >= d(f), l.x <= labour and
x <= capacity. Each maximin LP fixes the fractions whose floor has a dual.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


def leximin_by_lp(A, labour_coefficients, demands, *, labour=None, capacities=None):
    n = A.shape[0]
    m = len(demands)
    q = np.array([d.quantity for d in demands])
    p = np.array([d.product for d in demands])
    tiers = np.array([d.tier for d in demands])
    cap = np.full(n, np.inf)
    for c, value in (capacities or {}).items():
        cap[c] = value
    fixed = np.full(m, np.nan)
    fixed[q == 0] = 1.0
    # Rows: -(I - A) x + D f <= 0 (n rows), then l.x <= labour.
    balance = sp.hstack([-(sp.identity(n) - sp.csr_matrix(A)),
                         sp.csr_matrix((q, (p, np.arange(m))), shape=(n, m)),
                         sp.csr_matrix((n, 1))])
    base = [balance]
    b_base = [np.zeros(n)]
    if labour is not None:
        base.append(sp.hstack([sp.csr_matrix(labour_coefficients.reshape(1, -1)),
                               sp.csr_matrix((1, m + 1))]))
        b_base.append(np.array([labour]))
    for tier in sorted(set(tiers.tolist())):
        while True:
            free = np.flatnonzero((tiers == tier) & np.isnan(fixed))
            if not len(free):
                break
            floors = sp.csr_matrix((np.concatenate([-np.ones(len(free)), np.ones(len(free))]),
                                    (np.concatenate([np.arange(len(free))] * 2),
                                     np.concatenate([n + free, np.full(len(free), n + m)]))),
                                   shape=(len(free), n + m + 1))
            a_ub = sp.vstack(base + [floors]).tocsr()
            b_ub = np.concatenate(b_base + [np.zeros(len(free))])
            bounds = [(0, None if not np.isfinite(c) else c) for c in cap]
            for k in range(m):
                if not np.isnan(fixed[k]):
                    bounds.append((fixed[k], fixed[k]))
                elif tiers[k] == tier:
                    bounds.append((0, 1))
                else:
                    bounds.append((0, 0))
            bounds.append((0, 1))
            c = np.zeros(n + m + 1)
            c[-1] = -1.0
            res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
            assert res.status == 0, res.message
            t = res.x[-1]
            if t >= 1 - 1e-9:
                fixed[free] = 1.0
                break
            duals = -res.ineqlin.marginals[-len(free):]
            held = free[duals > 1e-9]
            assert len(held), "a maximin LP must hold at least one demand"
            fixed[held] = t
        fixed[(tiers == tier) & np.isnan(fixed)] = 1.0
    return fixed
