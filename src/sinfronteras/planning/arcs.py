"""Which offer may serve which need: arcs built with numpy and a spatial index.

Offer j may serve need i if and only if i's resource is among j's resources and
the great-circle (haversine) distance between their places is at most j's
radius. Candidates come from a grid over places as 3-D unit vectors
(:class:`~sinfronteras.planning.grid.PlaceGrid`; a radius on the sphere is a chord
radius in space); the haversine test decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .grid import PlaceGrid

#: Mean Earth radius in km (IUGG), used by the haversine distance.
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Arcs:
    """Arcs (offer, need, km), sorted by offer then need (input indices)."""

    offer: np.ndarray
    need: np.ndarray
    km: np.ndarray

    def __len__(self) -> int:
        return len(self.offer)


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees.

    >>> round(float(haversine_km(0.0, 0.0, 0.0, 1.0)), 4)
    111.1951
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _chord(radius_km: np.ndarray) -> np.ndarray:
    angle = np.minimum(radius_km / EARTH_RADIUS_KM, np.pi)
    # A little slack: the exact haversine test below decides at the boundary.
    return np.where(np.isfinite(radius_km), 2 * np.sin(angle / 2) * (1 + 1e-9) + 1e-12, 3.0)


def _expand(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [starts, ends): (range index of each element, element)."""
    lens = ends - starts
    owner = np.repeat(np.arange(len(lens)), lens)
    offs = np.cumsum(lens) - lens
    return owner, np.arange(int(lens.sum())) - np.repeat(offs, lens) + np.repeat(starts, lens)


@dataclass(frozen=True)
class NeedPlaces:
    """The distinct places of a problem's needs, their unit vectors, and a grid over them.

    Built once per plan: the arc-count estimate
    (:func:`~sinfronteras.planning.sparse.estimate_arcs`) and :func:`build_arcs` share it.
    ``tree`` answers ``query_ball_point`` as a k-d tree would, and :meth:`PlaceGrid.ball` in ranges.
    """

    places: np.ndarray
    weight: np.ndarray  # needs at each place
    xyz: np.ndarray  # unit vectors of every place of the problem
    tree: PlaceGrid  # over xyz[places]


def need_places(arrays) -> NeedPlaces:
    """The :class:`NeedPlaces` of a problem's :class:`~sinfronteras.planning.model.Arrays`."""
    places, weight = np.unique(arrays.need_place, return_counts=True)
    xyz = _unit_vectors(arrays.lat, arrays.lon)
    return NeedPlaces(places, weight, xyz, PlaceGrid(xyz[places]))


def build_arcs(arrays, index: NeedPlaces | None = None) -> Arcs:
    """All arcs of a problem, from its :class:`~sinfronteras.planning.model.Arrays`.

    Examples
    --------
    >>> from sinfronteras.planning.model import Problem
    >>> p = Problem.from_json({"version": 1, "resources": [{"id": "r", "unit": "kg"}],
    ...     "places": [{"id": "a", "lat": 0, "lon": 0}, {"id": "b", "lat": 0, "lon": 1}],
    ...     "needs": [{"id": "n1", "resource": "r", "quantity": 1, "place": "b"}],
    ...     "offers": [{"id": "o1", "resources": ["r"], "quantity": 1, "place": "a", "radius_km": 100},
    ...                {"id": "o2", "resources": ["r"], "quantity": 1, "place": "a"}]})
    >>> a = build_arcs(p.arrays)
    >>> a.offer.tolist(), a.need.tolist(), a.km.round(2).tolist()
    ([1], [0], [111.2])
    """
    n_res = max(int(arrays.need_resource.max(initial=-1)), int(arrays.offer_resource.max(initial=-1))) + 1
    empty = Arcs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if len(arrays.need_quantity) == 0 or len(arrays.offer_quantity) == 0:
        return empty
    # Needs grouped by (place, resource).
    key = arrays.need_place * n_res + arrays.need_resource
    order = np.argsort(key, kind="stable")
    skey = key[order]
    index = need_places(arrays) if index is None else index
    # One query per distinct (offer place, radius): the need places within reach, and how far.
    q = np.column_stack([arrays.offer_place.astype(float), arrays.offer_radius])
    uq, inv = np.unique(q, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    hit_ptr, hit_place, hit_km = _reach(arrays, index, uq[:, 0].astype(np.int64), uq[:, 1])
    # Offer-resource pairs, each expanded to the need places its query reached.
    pair_offer = np.repeat(np.arange(len(arrays.offer_quantity)), np.diff(arrays.offer_resource_ptr))
    pair_res = arrays.offer_resource
    g = inv[pair_offer]
    pair_k, pos = _expand(hit_ptr[g], hit_ptr[g + 1])
    cand_key = hit_place[pos] * n_res + pair_res[pair_k]
    lo = np.searchsorted(skey, cand_key, "left")
    hi = np.searchsorted(skey, cand_key, "right")
    cand_k, npos = _expand(lo, hi)
    offer = pair_offer[pair_k[cand_k]]
    need = order[npos]
    km = hit_km[pos[cand_k]]
    # Offer by offer already; each offer's needs in order (offer and need pairs are distinct).
    by = np.argsort(offer * len(arrays.need_quantity) + need, kind="stable")
    return Arcs(offer[by], need[by], km[by])


def _reach(arrays, index: NeedPlaces, place: np.ndarray, radius: np.ndarray):
    """The need places within ``radius[k]`` km of ``place[k]``: (ranges, places, km), by query.

    The haversine distance is computed once per pair of places, and decides: the
    grid's chord test only narrows the candidates.
    """
    ptr, hit = index.tree.ball(index.xyz[place], _chord(radius))
    query = np.repeat(np.arange(len(place)), np.diff(ptr))
    po, pn = place[query], index.places[hit]
    km = haversine_km(arrays.lat[po], arrays.lon[po], arrays.lat[pn], arrays.lon[pn])
    km = np.where(po == pn, 0.0, km)
    keep = km <= radius[query]
    kept = np.zeros(len(ptr), np.int64)
    np.cumsum(np.bincount(query[keep], minlength=len(place)), out=kept[1:])
    return kept, pn[keep], km[keep]
