"""The plan (format v1): allocations, met needs with reasons, and a summary.

A :class:`Plan` keeps numpy arrays (fast for a million arcs); the list views
:attr:`Plan.allocations` and :attr:`Plan.need_results` and :meth:`Plan.to_json`
build plain Python objects on demand. Numbers in JSON are rounded to fixed
decimals so that the same input gives byte-identical output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import jsonout
from .model import FORMAT_VERSION, Problem

#: Decimals kept for quantities, fractions and distances in plan documents.
DECIMALS = 6

#: Reason codes of a need that is not fully met.
NOTHING_IN_REACH = "nothing_in_reach"
TAKEN_BY_EQUAL_OR_STRONGER = "offers_in_reach_went_to_equal_or_stronger_claims"
REASON_TEXT = {
    NOTHING_IN_REACH: "no offer of this resource reaches this place",
    TAKEN_BY_EQUAL_OR_STRONGER: "every offer within reach went to needs with an equal or stronger claim",
}


def _r(x: float) -> float:
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v  # no "-0.0"


@dataclass(frozen=True)
class Allocation:
    """A quantity of an offer that goes to a need."""

    offer: str
    need: str
    quantity: float


@dataclass(frozen=True)
class NeedResult:
    """How much of a need is met, its tier, and (when not fully met) why."""

    id: str
    met: float
    fraction: float
    tier: int
    reason: str | None = None


@dataclass(frozen=True)
class Plan:
    """A plan for a :class:`~sinfronteras.planning.model.Problem`.

    Attributes
    ----------
    problem : Problem
    alloc_offer, alloc_need, alloc_quantity, alloc_km : ndarray
        One entry per allocation (input indices), sorted by offer then need.
    met, fraction : ndarray
        Per need, in input order.
    reason : ndarray of object
        Reason code per need, ``None`` when fully met.
    summary : dict
        Per-tier statistics, ``distance_km``, ``shortage`` and ``quantity_resolution``.
    """

    problem: Problem
    alloc_offer: np.ndarray
    alloc_need: np.ndarray
    alloc_quantity: np.ndarray
    alloc_km: np.ndarray
    met: np.ndarray
    fraction: np.ndarray
    reason: np.ndarray
    summary: dict
    status: str = "optimal"

    @property
    def allocations(self) -> list[Allocation]:
        """The allocations as :class:`Allocation` objects."""
        o, n = self.problem.offers, self.problem.needs
        return [
            Allocation(o[j].id, n[i].id, _r(x))
            for j, i, x in zip(self.alloc_offer.tolist(), self.alloc_need.tolist(), self.alloc_quantity.tolist())
        ]

    @property
    def need_results(self) -> list[NeedResult]:
        """Every need's result as a :class:`NeedResult`, in input order."""
        tiers = self.problem.tiers().tolist()
        return [
            NeedResult(n.id, _r(m), _r(f), t, r)
            for n, m, f, t, r in zip(
                self.problem.needs, self.met.tolist(), self.fraction.tolist(), tiers, self.reason.tolist()
            )
        ]

    def to_json(self) -> dict:
        """The plan as a format v1 document."""
        needs = []
        for nr in self.need_results:
            d = {"id": nr.id, "met": nr.met, "fraction": nr.fraction, "tier": nr.tier}
            if nr.reason is not None:
                d["reason"] = nr.reason
            needs.append(d)
        return {
            "version": FORMAT_VERSION,
            "status": self.status,
            "allocations": [{"offer": a.offer, "need": a.need, "quantity": a.quantity} for a in self.allocations],
            "needs": needs,
            "summary": self.summary,
        }

    def dumps(self) -> str:
        """The plan document as JSON text, byte-identical for identical input.

        The same bytes as ``json.dumps(self.to_json(), indent=1, ensure_ascii=False,
        allow_nan=False) + "\\n"``, written from templates (see :mod:`~sinfronteras.planning.jsonout`).
        """
        o_ids = jsonout.encode_strings([o.id for o in self.problem.offers])
        n_ids = jsonout.encode_strings([n.id for n in self.problem.needs])
        qty = jsonout.floats(_rounded(self.alloc_quantity))
        allocs = [_ALLOCATION % (o_ids[j], n_ids[i], q)
                  for j, i, q in zip(self.alloc_offer.tolist(), self.alloc_need.tolist(), qty)]
        met, frac = jsonout.floats(_rounded(self.met)), jsonout.floats(_rounded(self.fraction))
        needs = [
            (_NEED % (nid, m, f, t)) + ("" if r is None else _REASON % jsonout.dumps(r)) + "\n  }"
            for nid, m, f, t, r in zip(n_ids, met, frac, self.problem.tiers().tolist(), self.reason.tolist())
        ]
        return "".join([
            "{\n \"version\": ", jsonout.number(FORMAT_VERSION),
            ",\n \"status\": ", jsonout.dumps(self.status),
            ",\n \"allocations\": ", _block(allocs),
            ",\n \"needs\": ", _block(needs),
            ",\n \"summary\": ", jsonout.dumps(self.summary, 1), "\n}\n",
        ])


_ALLOCATION = '  {\n   "offer": %s,\n   "need": %s,\n   "quantity": %s\n  }'
_NEED = '  {\n   "id": %s,\n   "met": %s,\n   "fraction": %s,\n   "tier": %d'
_REASON = ',\n   "reason": %s'


def _rounded(values: np.ndarray) -> list[float]:
    """:func:`_r` of every value."""
    return [round(x, DECIMALS) or 0.0 for x in np.asarray(values, float).tolist()]


def _block(items: list[str]) -> str:
    """A list of items already written at depth 2, as the value of a top-level key."""
    return "[\n" + ",\n".join(items) + "\n ]" if items else "[]"
