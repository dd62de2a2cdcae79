"""The plan: leximin fulfilment tier by tier, then the least total distance.

Precision. Network solvers work on integers, so quantities are counted in
units of ``1 / scale`` where ``scale`` is the largest power of ten up to
``10**6`` that keeps the total quantity below ``2**40`` units. The plan reports
``quantity_resolution = 1 / scale`` in its summary; each need's ``met`` is at
most one unit below the exact leximin value (levels are rounded down, so the
plan is always feasible). Distances are resolved to a metre (see
:mod:`sinfronteras.planning.distance`).

Whole steps. Needs and offers of a resource with a ``step`` are counted in
steps instead (their part of the network never meets the rest: an offer's
resources share one step). Their shares are exact and then rounded to whole
steps (see :mod:`sinfronteras.planning.leximin`); the least-distance flows are
integral in steps too, so every allocation of such a resource is whole.

A replan. A problem with ``previous`` allocations gets a stability stage
between the tiers and the least distance
(:mod:`sinfronteras.planning.stability`): every need's ``met`` stays as the
tiers gave it, the most of the previous allocations is kept, and then the
distance is the least among those plans.

Size. Above about four million arcs (``mode="auto"``) the plan is made on a
certified sparse core of arcs instead (:mod:`sinfronteras.planning.sparse`):
the same ``met`` and integer distance without holding every arc.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .arcs import Arcs, build_arcs
from .explain import reasons, shortage, tier_summary
from .distance import least_distance
from .leximin import leximin
from .model import Problem
from .result import Plan, _r
from .stability import kept_units, previous_units, stable_flow

#: Largest total quantity, in quantity units, handed to the flow solvers.
QUANTITY_LIMIT = 2**40


@dataclass(frozen=True)
class Scaled:
    """Integer quantities of a problem and the scale they were counted at.

    Needs and offers of a resource with a step (``need_step``, ``offer_step``
    above 0) are counted in whole steps instead.
    """

    scale: float
    need: np.ndarray
    offer: np.ndarray
    need_step: np.ndarray | None = None
    offer_step: np.ndarray | None = None

    @property
    def whole(self) -> np.ndarray | None:
        """Which needs are counted in steps (None: no need is)."""
        return None if self.need_step is None else self.need_step > 0

    def need_amount(self, units: np.ndarray, need: np.ndarray) -> np.ndarray:
        """Quantities of the input from units counted for ``need`` (indices)."""
        if self.need_step is None:
            return units / self.scale
        step = self.need_step[need]
        return np.where(step > 0, units * step, units / self.scale)

    def offer_amount(self, units: np.ndarray, offer: np.ndarray) -> np.ndarray:
        """Quantities of the input from units counted for ``offer`` (indices)."""
        if self.offer_step is None:
            return units / self.scale
        step = self.offer_step[offer]
        return np.where(step > 0, units * step, units / self.scale)


def in_steps(sc: Scaled, a) -> Scaled:
    """``sc`` with the needs and offers of resources with a step counted in whole steps.

    >>> import numpy as np
    >>> s = scale_quantities(np.array([2.5, 3.0]), np.array([0.3]))
    >>> class A: need_quantity, offer_quantity = np.array([2.5, 3.0]), np.array([0.3])
    >>> A.need_step, A.offer_step = np.array([0.5, 0.0]), np.array([0.1])
    >>> t = in_steps(s, A)
    >>> t.need.tolist(), t.offer.tolist(), t.whole.tolist()
    ([5, 3000000], [3], [True, False])
    """
    if not (a.need_step > 0).any() and not (a.offer_step > 0).any():
        return sc
    ns, os_ = a.need_step, a.offer_step
    need = np.where(ns > 0, np.rint(a.need_quantity / np.where(ns > 0, ns, 1)), sc.need).astype(np.int64)
    offer = np.where(os_ > 0, np.rint(a.offer_quantity / np.where(os_ > 0, os_, 1)), sc.offer).astype(np.int64)
    return Scaled(sc.scale, need, offer, ns, os_)


def scale_quantities(need_q: np.ndarray, offer_q: np.ndarray) -> Scaled:
    """Count quantities in integer units of ``1 / scale``.

    >>> import numpy as np
    >>> s = scale_quantities(np.array([2.5, 1.0]), np.array([3.25]))
    >>> s.scale, s.need.tolist(), s.offer.tolist()
    (1000000.0, [2500000, 1000000], [3250000])
    """
    total = max(float(need_q.sum()), float(offer_q.sum()))
    k = 6 if total <= 0 else max(-12, min(6, math.floor(math.log10(QUANTITY_LIMIT / total))))
    scale = 10.0**k
    need = np.maximum(np.rint(need_q * scale), 1).astype(np.int64)
    offer = np.rint(offer_q * scale).astype(np.int64)
    return Scaled(scale, need, offer)


def plan(
    problem: Problem,
    *,
    progress: Callable[[str], None] | None = None,
    mode: str = "auto",
    ray: str | bool | None = None,
) -> Plan:
    """The fairest plan for a problem: worst-off first, tier by tier, then least travel.

    Parameters
    ----------
    problem : Problem
    progress : callable, optional
        Called with a short message at each stage (for long runs).
    mode : {"auto", "full", "sparse"}
        ``"full"`` builds every arc; ``"sparse"`` plans on a certified core of
        arcs (:mod:`sinfronteras.planning.sparse`), the same ``met`` and
        integer distance; ``"auto"``: sparse when the problem has more than
        :data:`~sinfronteras.planning.sparse.SPARSE_ABOVE_ARCS` arcs (estimated).
    ray : str or True, optional
        Sparse mode only: run the regions' searches on Ray (True: a local Ray;
        a string: the address of a running cluster).

    Examples
    --------
    >>> from sinfronteras.planning import Problem, plan
    >>> p = Problem.from_json({"version": 1,
    ...     "resources": [{"id": "rice", "unit": "kg", "basic": True}],
    ...     "places": [{"id": "a", "lat": 34.03, "lon": -118.20}, {"id": "b", "lat": 34.05, "lon": -118.25}],
    ...     "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "a", "urgent": True},
    ...               {"id": "n2", "resource": "rice", "quantity": 10, "place": "b"}],
    ...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 8, "place": "a", "radius_km": 10}]})
    >>> result = plan(p)
    >>> [(n.id, n.met, n.fraction, n.tier) for n in result.need_results]
    [('n1', 5.0, 1.0, 1), ('n2', 3.0, 0.3, 2)]
    >>> result.summary["tiers"]["2"]
    {'needs': 1, 'fully_met': 0, 'untouched': 0, 'min_fraction': 0.3}
    """
    say = progress or (lambda msg: None)
    a = problem.arrays
    if mode not in ("auto", "full", "sparse"):
        raise ValueError(f"mode must be 'auto', 'full' or 'sparse', got {mode!r}")
    if mode == "sparse" or ray or (mode == "auto" and _big(a)):
        from .sparse import sparse_plan

        return sparse_plan(problem, progress=progress, ray=ray)
    say("building arcs")
    arcs = build_arcs(a)
    say(f"{len(arcs)} arcs")
    sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
    lex = leximin(arcs.offer, arcs.need, sc.need, sc.offer, a.need_tier, progress, sc.whole)
    allowed = lex.offer_cell[arcs.offer] == lex.need_cell[arcs.need]
    if problem.previous:
        say("keeping the previous plan, then least distance")
        prev = previous_units(problem, arcs, sc)
        flow = stable_flow(arcs, lex.met, sc.offer, *prev, allowed)
    else:
        say("least distance")
        flow = least_distance(arcs, lex.met, sc.offer, allowed)
    say("assembling the plan")
    result = _assemble(problem, arcs, sc, lex, flow)
    if problem.previous:
        result.summary["previous"] = kept_summary(problem, arcs, sc, flow, *prev)
    return result


def kept_summary(problem: Problem, arcs: Arcs, sc: Scaled, flow: np.ndarray, prev_arc, prev_units) -> dict:
    """How much of the previous plan a plan keeps (the summary's ``previous``).

    ``given``: previous allocations in the problem; ``matched``: those whose offer,
    need and arc still exist; ``kept``: those the plan still has (in part or whole);
    ``unchanged``: those it has with the same quantity; ``quantity`` and
    ``kept_quantity``: the matched ones' quantities and how much of them is kept
    (summed over resources, each in its own unit).
    """
    kept = kept_units(flow, prev_arc, prev_units)
    offers = arcs.offer[prev_arc]
    return {
        "given": len(problem.previous),
        "matched": int(len(prev_arc)),
        "kept": int((kept > 0).sum()),
        "unchanged": int((flow[prev_arc] == prev_units).sum()),
        "quantity": _r(float(sc.offer_amount(prev_units, offers).sum())),
        "kept_quantity": _r(float(sc.offer_amount(kept, offers).sum())),
    }


def _big(arrays) -> bool:
    from .sparse import SPARSE_ABOVE_ARCS, estimate_arcs

    return estimate_arcs(arrays) > SPARSE_ABOVE_ARCS


def _assemble(problem: Problem, arcs: Arcs, sc: Scaled, lex, flow: np.ndarray, reach=None) -> Plan:
    a = problem.arrays
    everyone = np.arange(len(sc.need))
    full = lex.met >= sc.need
    fraction = np.where(full, 1.0, lex.met / sc.need)
    met = np.where(full, a.need_quantity, sc.need_amount(lex.met, everyone))
    pos = flow > 0
    qty = sc.offer_amount(flow[pos], arcs.offer[pos])
    km = arcs.km[pos]
    if reach is None:
        reach = np.zeros(len(met), bool)
        reach[arcs.need] = True
    short = np.where(full, 0.0, sc.need_amount(sc.need - lex.met, everyone))
    summary = {
        "tiers": tier_summary(a.need_tier, fraction, full, lex.met),
        "distance_km": _r(float(np.dot(qty, km))),
        "shortage": shortage(problem, lex.leaf, lex.leaf_level, short, reach),
        "quantity_resolution": 1.0 / sc.scale,
        "max_flows": lex.rounds,
    }
    if lex.roundings:
        summary["roundings"] = lex.roundings
    return Plan(
        problem=problem,
        alloc_offer=arcs.offer[pos],
        alloc_need=arcs.need[pos],
        alloc_quantity=qty,
        alloc_km=km,
        met=met,
        fraction=fraction,
        reason=reasons(len(met), np.flatnonzero(reach), full),
        summary=summary,
    )
