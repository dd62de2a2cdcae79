"""The least total distance once every need's ``met`` is fixed.

A transportation problem: offers supply at most ``s_j``, needs take exactly
``met_i``, cost per unit is the arc's distance. It is solved with OR-Tools'
min-cost flow, one network per batch of connected components (an offer used up
by a tight set serves that set only, so the network falls apart into many
pieces). Offers are sources of their full quantity; what is not sent drains to
one sink at no cost.

Distances are counted in whole metres (``COST_DECIMALS = 3`` decimals of a
km), coarser only if ``cost * flow`` could overflow int64. Places are coarse
cells of about a kilometre, so this is far below the input's own precision;
the plan's distance is the least up to one metre per unit moved.
"""

from __future__ import annotations

import math

import numpy as np

from .arcs import Arcs, _expand
from .errors import SolverError
from .flows import INT_LIMIT, min_cost_flow
from .leximin import _components

#: Decimals of a km kept in the costs handed to the solver (3: metres).
COST_DECIMALS = 3
#: Components are packed into solver calls of about this many arcs.
BATCH_ARCS = 50_000


def least_distance(arcs: Arcs, met: np.ndarray, offer_s: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """Arc flows (integers) that deliver exactly ``met`` to every need at least total distance.

    ``allowed`` masks out arcs that no plan with this ``met`` can use.

    Examples
    --------
    >>> import numpy as np
    >>> from sinfronteras.planning.arcs import Arcs
    >>> arcs = Arcs(np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([5.0, 1.0, 2.0]))
    >>> least_distance(arcs, np.array([3, 2]), np.array([10, 4])).tolist()
    [1, 2, 2]
    """
    use = met[arcs.need] > 0
    if allowed is not None:
        use &= allowed
    flow = np.zeros(len(arcs), np.int64)
    if not use.any():
        return flow
    idx = np.flatnonzero(use)
    n_o = len(offer_s)
    label = _components(n_o, len(met), arcs.offer[idx], arcs.need[idx])
    order = _by_component(arcs.offer[idx], label[:n_o])
    idx = idx[order]
    comp = label[arcs.offer[idx]]
    starts = np.flatnonzero(np.r_[True, comp[1:] != comp[:-1]])
    bounds = np.r_[starts, len(idx)]
    lo = 0
    while lo < len(starts):
        hi = int(np.searchsorted(bounds, bounds[lo] + BATCH_ARCS, "right")) - 1
        hi = max(hi, lo + 1)
        part = idx[bounds[lo] : bounds[hi]]
        flow[part] = _solve(arcs.offer[part], arcs.need[part], arcs.km[part], met, offer_s)
        lo = hi
    return flow


def _by_component(ao: np.ndarray, offer_label: np.ndarray) -> np.ndarray:
    """The order that sorts arcs by their offer's component, stably (as ``argsort(kind="stable")``).

    Arcs come sorted by offer, so each offer's arcs are one run: the runs are laid
    out in the order of their offers sorted stably by component.

    >>> import numpy as np
    >>> _by_component(np.array([0, 0, 1, 2, 2]), np.array([1, 0, 1])).tolist()
    [2, 0, 1, 3, 4]
    """
    if len(ao) and (ao[1:] < ao[:-1]).any():  # not by offer: sort them
        return np.argsort(offer_label[ao], kind="stable")
    count = np.bincount(ao, minlength=len(offer_label))
    first = np.cumsum(count) - count
    offers = np.argsort(offer_label, kind="stable")
    return _expand(first[offers], first[offers] + count[offers])[1]


def _local(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)`` for ids below ``n``; by a mask when ``n`` is small."""
    if n > 4 * len(ids):
        found, inverse = np.unique(ids, return_inverse=True)
        return found, inverse.reshape(-1)
    seen = np.zeros(n, bool)
    seen[ids] = True
    return np.flatnonzero(seen), (np.cumsum(seen) - 1)[ids]


def _solve(ao: np.ndarray, an: np.ndarray, km: np.ndarray, met: np.ndarray, offer_s: np.ndarray) -> np.ndarray:
    offers, lo = _local(ao, len(offer_s))
    needs, ln = _local(an, len(met))
    no, nn = len(offers), len(needs)
    s, d = offer_s[offers], met[needs]
    sink = no + nn
    total = int(s.sum())
    k = COST_DECIMALS
    max_km = max(float(km.max(initial=0.0)), 1e-9)
    k = min(k, math.floor(math.log10(INT_LIMIT / (max_km * max(total, sink + 2)))))
    while True:
        try:
            r = min_cost_flow(
                sink + 1,
                np.concatenate([lo, np.arange(no)]),
                np.concatenate([ln + no, np.full(no, sink)]),
                np.concatenate([np.minimum(s[lo], d[ln]), s]),
                np.concatenate([np.rint(km * 10.0**k).astype(np.int64), np.zeros(no, np.int64)]),
                np.concatenate([s, -d, [int(d.sum()) - total]]),
            )
            return r.flows[: len(ao)]
        except SolverError:
            if k < -3:
                raise
            k -= 1  # a cost range too large for the solver: coarser distances
