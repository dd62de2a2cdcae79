"""Integer quantities of a problem, and a plan assembled from the stages' integer results.

Shared by the full planner (:mod:`sinfronteras.planning.solve`) and the sparse-core
planner (:mod:`sinfronteras.planning.sparse`); see :mod:`~sinfronteras.planning.solve`
for the precision these quantities are counted at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .arcs import Arcs
from .explain import reasons, shortage, tier_summary
from .model import Problem
from .result import Plan, _r
from .stability import kept_units

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
