"""The baseline: one request at a time, in input order, nearest offers first.

This is how matching is usually done by hand or by simple tools. It is here to
compare against (``sinfronteras plan --compare greedy``, the benchmark), never
to plan with.
"""

from __future__ import annotations

import numpy as np

from .arcs import Arcs, build_arcs
from .explain import reasons, tier_summary
from .model import Problem
from .result import Plan, _r


def greedy(problem: Problem, arcs: Arcs | None = None) -> Plan:
    """Each need in input order takes what it can from the nearest reachable offers.

    Examples
    --------
    The first need takes the shared offer; the urgent basic one after it gets nothing.

    >>> from sinfronteras.planning import Problem
    >>> p = Problem.from_json({"version": 1,
    ...     "resources": [{"id": "rice", "unit": "kg", "basic": True}],
    ...     "places": [{"id": "a", "lat": 0, "lon": 0}],
    ...     "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "a"},
    ...               {"id": "n2", "resource": "rice", "quantity": 5, "place": "a", "urgent": True}],
    ...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 5, "place": "a"}]})
    >>> [(n.id, n.met) for n in greedy(p).need_results]
    [('n1', 5.0), ('n2', 0.0)]
    """
    a = problem.arrays
    arcs = build_arcs(a) if arcs is None else arcs
    order = np.lexsort((arcs.offer, arcs.km, arcs.need))
    ao = arcs.offer[order].tolist()
    ptr = np.searchsorted(arcs.need[order], np.arange(len(a.need_quantity) + 1)).tolist()
    left = a.offer_quantity.tolist()
    want = a.need_quantity.tolist()
    taken = [0.0] * len(order)
    for i in range(len(want)):
        w = want[i]
        for k in range(ptr[i], ptr[i + 1]):
            if w <= 0:
                break
            j = ao[k]
            x = min(left[j], w)
            if x > 0:
                left[j] -= x
                w -= x
                taken[k] = x
        want[i] = w
    flow = np.zeros(len(order))
    flow[order] = taken
    met = a.need_quantity - np.array(want)
    full = met >= a.need_quantity
    fraction = np.where(full, 1.0, met / a.need_quantity) if len(met) else np.zeros(0)
    pos = flow > 0
    summary = {
        "tiers": tier_summary(a.need_tier, fraction, full, met),
        "distance_km": _r(float(np.dot(flow[pos], arcs.km[pos]))),
    }
    return Plan(
        problem=problem,
        alloc_offer=arcs.offer[pos],
        alloc_need=arcs.need[pos],
        alloc_quantity=flow[pos],
        alloc_km=arcs.km[pos],
        met=met,
        fraction=fraction,
        reason=reasons(len(met), arcs.need, full),
        summary=summary,
        status="greedy",
    )
