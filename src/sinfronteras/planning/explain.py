"""What a plan says about itself: per-tier figures, reasons, shortages.

The shortage report comes from the tight sets of the leximin levels: a tight
set is a group of needs that used up every offer within their reach and sit at
one fulfilled fraction. Any unit more, offered within their reach, raises that
fraction; ``short`` units would meet them all.
"""

from __future__ import annotations

import numpy as np

from .result import NOTHING_IN_REACH, TAKEN_BY_EQUAL_OR_STRONGER, _r


def tier_summary(tiers: np.ndarray, fraction: np.ndarray, full: np.ndarray, met: np.ndarray) -> dict:
    """Per tier: needs, fully met, untouched (nothing met), lowest fraction.

    >>> import numpy as np
    >>> tier_summary(np.array([1, 1, 4]), np.array([1.0, 0.0, 0.5]), np.array([True, False, False]),
    ...              np.array([2.0, 0.0, 1.0]))
    {'1': {'needs': 2, 'fully_met': 1, 'untouched': 1, 'min_fraction': 0.0}, '4': {'needs': 1, 'fully_met': 0, 'untouched': 0, 'min_fraction': 0.5}}
    """
    out = {}
    for t in (1, 2, 3, 4):
        m = tiers == t
        if not m.any():
            continue
        out[str(t)] = {
            "needs": int(m.sum()),
            "fully_met": int(full[m].sum()),
            "untouched": int((met[m] <= 0).sum()),
            "min_fraction": _r(fraction[m].min()),
        }
    return out


def reasons(n_needs: int, arc_need: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Reason code per need: ``None`` when fully met, else why not."""
    reach = np.zeros(n_needs, bool)
    reach[arc_need] = True
    out = np.full(n_needs, None, object)
    out[~full & ~reach] = NOTHING_IN_REACH
    out[~full & reach] = TAKEN_BY_EQUAL_OR_STRONGER
    return out


def shortage(problem, leaf: np.ndarray, leaf_level: np.ndarray, short: np.ndarray, reach: np.ndarray) -> list[dict]:
    """Shortage per tier, resource and place, from the tight sets.

    Parameters
    ----------
    problem : Problem
    leaf : ndarray
        Tight set of each need (-1: none).
    leaf_level : ndarray
        Fulfilled fraction of each tight set.
    short : ndarray
        Unmet quantity of each need.
    reach : ndarray of bool
        Whether any offer reaches each need at all.

    Returns
    -------
    list of dict
        ``tier, resource, unit, place, fraction`` (lowest level there),
        ``short`` (units that would meet every such need there), ``needs``
        (how many needs they would help) and ``nothing_in_reach`` (how many of
        them no offer reaches at all), lowest fractions first.
    """
    a = problem.arrays
    m = (leaf >= 0) & (short > 0)
    if not m.any():
        return []
    lvl = leaf_level[np.maximum(leaf, 0)]
    key = np.stack([a.need_tier[m], a.need_resource[m], a.need_place[m]], axis=1)
    uk, inv = np.unique(key, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    k = len(uk)
    units = np.bincount(inv, weights=short[m], minlength=k)
    count = np.bincount(inv, minlength=k)
    dark = np.bincount(inv, weights=(~reach[m]).astype(float), minlength=k)
    low = np.full(k, np.inf)
    np.minimum.at(low, inv, lvl[m])
    rows = []
    for g in range(k):
        t, r, p = (int(x) for x in uk[g])
        res = problem.resources[r]
        rows.append(
            {
                "tier": t,
                "resource": res.id,
                "unit": res.unit,
                "place": problem.places[p].id,
                "fraction": _r(low[g]),
                "short": _r(units[g]),
                "needs": int(count[g]),
                "nothing_in_reach": int(dark[g]),
            }
        )
    rows.sort(key=lambda d: (d["tier"], d["fraction"], -d["short"], d["resource"], d["place"]))
    return rows
