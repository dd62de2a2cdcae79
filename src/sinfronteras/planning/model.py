"""Problem data: resources, places, needs and offers (problem format v1).

A :class:`Problem` is plain, immutable data. :meth:`Problem.from_json` checks a
problem document and raises :class:`~sinfronteras.planning.errors.ProblemError`
naming the first wrong entry; :meth:`Problem.to_json` writes it back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

#: The problem and plan format version this library reads and writes.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Resource:
    """What is moved: an id, a unit, whether it is basic, and its step.

    ``step`` is the smallest amount that can be handed over (1 pack, 0.5 hours,
    0.1 kg); ``None``: any amount. Quantities of a resource with a step are
    whole numbers of steps, and so is everything the plan gives of it.

    ``uri`` names what it is in a shared vocabulary (a Wikidata item, as
    FEP-0837 suggests), or ``None``. Across collectives, resources with the
    same ``uri``, unit and step are one resource
    (:mod:`sinfronteras.planning.federation`); the planner itself ignores it.
    """

    id: str
    unit: str
    basic: bool = False
    step: float | None = None
    uri: str | None = None


@dataclass(frozen=True)
class Place:
    """A coarse place (a cell or a named area), never an address."""

    id: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Need:
    """A quantity of one resource needed at a place."""

    id: str
    resource: str
    quantity: float
    place: str
    urgent: bool = False


@dataclass(frozen=True)
class Offer:
    """A quantity that can go to any mix of its resources, within a radius.

    ``radius_km`` of ``None`` means the offer reaches any distance.
    """

    id: str
    resources: tuple[str, ...]
    quantity: float
    place: str
    radius_km: float | None = None


@dataclass(frozen=True)
class Previous:
    """An allocation of the previous plan, that people were told about (offer, need, quantity).

    The plan keeps as much of these as it can without changing any need's share
    (:mod:`sinfronteras.planning.stability`).
    """

    offer: str
    need: str
    quantity: float


@dataclass(frozen=True)
class Arrays:
    """The problem as numpy arrays, indices in input order (see :attr:`Problem.arrays`)."""

    lat: np.ndarray
    lon: np.ndarray
    need_resource: np.ndarray
    need_place: np.ndarray
    need_quantity: np.ndarray
    need_tier: np.ndarray
    offer_place: np.ndarray
    offer_quantity: np.ndarray
    offer_radius: np.ndarray
    offer_resource_ptr: np.ndarray
    offer_resource: np.ndarray
    need_step: np.ndarray
    offer_step: np.ndarray


def tier_of(basic: bool, urgent: bool) -> int:
    """Tier of a need: 1 basic and urgent, 2 basic, 3 other and urgent, 4 other.

    >>> [tier_of(True, True), tier_of(True, False), tier_of(False, True), tier_of(False, False)]
    [1, 2, 3, 4]
    """
    return (1 if urgent else 2) if basic else (3 if urgent else 4)


@dataclass(frozen=True)
class Problem:
    """A planning problem: what is needed, what is offered, where.

    Examples
    --------
    >>> p = Problem.from_json({"version": 1,
    ...     "resources": [{"id": "rice", "unit": "kg", "basic": True}],
    ...     "places": [{"id": "bh", "lat": 34.03, "lon": -118.20}],
    ...     "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "bh"}],
    ...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 20, "place": "bh"}]})
    >>> len(p.needs), p.needs[0].quantity, p.tiers().tolist()
    (1, 5.0, [2])
    """

    resources: tuple[Resource, ...] = ()
    places: tuple[Place, ...] = ()
    needs: tuple[Need, ...] = ()
    offers: tuple[Offer, ...] = ()
    #: The previous plan's allocations (optional): kept as far as every need's share allows.
    previous: tuple[Previous, ...] = ()

    @classmethod
    def from_json(cls, doc: Any) -> Problem:
        """Check a problem document (format v1, as parsed JSON) and build it.

        Raises
        ------
        ProblemError
            Naming the first wrong entry and what is wrong with it.
        """
        return parse_problem(doc)

    def to_json(self) -> dict:
        """The problem as a format v1 document (inverse of :meth:`from_json`)."""
        offers = []
        for o in self.offers:
            d = {"id": o.id, "resources": list(o.resources), "quantity": o.quantity, "place": o.place}
            if o.radius_km is not None:
                d["radius_km"] = o.radius_km
            offers.append(d)
        doc = {
            "version": FORMAT_VERSION,
            "resources": [_resource_json(r) for r in self.resources],
            "places": [{"id": p.id, "lat": p.lat, "lon": p.lon} for p in self.places],
            "needs": [
                {"id": n.id, "resource": n.resource, "quantity": n.quantity, "place": n.place, "urgent": n.urgent}
                for n in self.needs
            ],
            "offers": offers,
        }
        if self.previous:
            doc["previous"] = [{"offer": p.offer, "need": p.need, "quantity": p.quantity} for p in self.previous]
        return doc

    def tiers(self) -> np.ndarray:
        """Tier (1-4) of every need, in input order."""
        return self.arrays.need_tier

    @cached_property
    def arrays(self) -> Arrays:
        """The problem as numpy arrays (computed once)."""
        return _compile(self)


def _resource_json(r: Resource) -> dict:
    d = {"id": r.id, "unit": r.unit, "basic": r.basic}
    if r.step is not None:
        d["step"] = r.step
    if r.uri is not None:
        d["uri"] = r.uri
    return d


def _compile(p: Problem) -> Arrays:
    res_index = {r.id: k for k, r in enumerate(p.resources)}
    place_index = {pl.id: k for k, pl in enumerate(p.places)}
    basic = np.array([r.basic for r in p.resources], dtype=bool)
    need_resource = np.fromiter((res_index[n.resource] for n in p.needs), np.int64, len(p.needs))
    urgent = np.fromiter((n.urgent for n in p.needs), bool, len(p.needs))
    nb = basic[need_resource] if len(p.needs) else np.zeros(0, bool)
    tier = np.where(nb, np.where(urgent, 1, 2), np.where(urgent, 3, 4)).astype(np.int64)
    lens = np.fromiter((len(o.resources) for o in p.offers), np.int64, len(p.offers))
    ptr = np.zeros(len(p.offers) + 1, np.int64)
    np.cumsum(lens, out=ptr[1:])
    inf = math.inf
    # Step of every need's and every offer's resource (0: none); an offer's resources share one.
    step = np.array([r.step or 0.0 for r in p.resources], float)
    first = np.array([res_index[o.resources[0]] for o in p.offers], np.int64)
    return Arrays(
        lat=np.fromiter((pl.lat for pl in p.places), float, len(p.places)),
        lon=np.fromiter((pl.lon for pl in p.places), float, len(p.places)),
        need_resource=need_resource,
        need_place=np.fromiter((place_index[n.place] for n in p.needs), np.int64, len(p.needs)),
        need_quantity=np.fromiter((n.quantity for n in p.needs), float, len(p.needs)),
        need_tier=tier,
        offer_place=np.fromiter((place_index[o.place] for o in p.offers), np.int64, len(p.offers)),
        offer_quantity=np.fromiter((o.quantity for o in p.offers), float, len(p.offers)),
        offer_radius=np.fromiter(
            (inf if o.radius_km is None else o.radius_km for o in p.offers), float, len(p.offers)
        ),
        offer_resource_ptr=ptr,
        offer_resource=np.fromiter(
            (res_index[r] for o in p.offers for r in o.resources), np.int64, int(ptr[-1])
        ),
        need_step=step[need_resource] if len(p.needs) else np.zeros(0),
        offer_step=step[first] if len(p.offers) else np.zeros(0),
    )


# At the end: validate builds this module's classes (imported here once they exist).
from .validate import parse_problem  # noqa: E402
