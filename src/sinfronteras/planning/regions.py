"""Arcs enumerated by region, on demand, never all held at once.

The needs' places are split into regions of about equal size (median cuts of
their unit vectors). An offer may reach a region only if its ball meets the
region's ball: the chord from the offer to the region's centre is at most the
region's radius plus the offer's chord radius (a halo of the offer's reach;
the largest radius bounds it). Each request (some offers, some needs, maybe a
shorter reach per offer) is answered region by region, each with a k-d tree
over the requested needs' places in that region, and the same exact test as
:func:`sinfronteras.planning.arcs.build_arcs`: the resource matches and the
haversine distance is at most the offer's radius.

Examples
--------
>>> from sinfronteras.planning.generate import city_problem
>>> from sinfronteras.planning.arcs import build_arcs
>>> p = city_problem(300, seed=3)
>>> src = ArcSource(p.arrays, n_regions=4)
>>> full = build_arcs(p.arrays)
>>> got = src.all_arcs()
>>> sorted(zip(got.offer.tolist(), got.need.tolist())) == sorted(zip(full.offer.tolist(), full.need.tolist()))
True
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .arcs import Arcs, EARTH_RADIUS_KM, _chord, _expand, _unit_vectors, haversine_km

#: About this many need places per region.
REGION_PLACES = 2048


class ArcSource:
    """Every arc of a problem, enumerated region by region on request.

    Parameters
    ----------
    arrays : Arrays
        The problem's arrays (:attr:`Problem.arrays`).
    n_regions : int, optional
        How many regions (rounded to a power of two); by default one per
        :data:`REGION_PLACES` need places.
    """

    def __init__(self, arrays, n_regions: int | None = None) -> None:
        a = self.a = arrays
        self.n_res = max(int(a.need_resource.max(initial=-1)), int(a.offer_resource.max(initial=-1))) + 1
        self.xyz = _unit_vectors(a.lat, a.lon)
        self.offer_chord = _chord(a.offer_radius)
        places = np.unique(a.need_place)
        if n_regions is None:
            n_regions = max(1, len(places) // REGION_PLACES)
        depth = max(0, int(np.ceil(np.log2(max(n_regions, 1)))))
        place_region = np.zeros(len(a.lat), np.int64)
        place_region[places] = _median_split(self.xyz[places], depth)
        self.need_region = place_region[a.need_place]
        self.n_regions = int(self.need_region.max(initial=-1)) + 1
        order = np.argsort(self.need_region, kind="stable")
        bounds = np.searchsorted(self.need_region[order], np.arange(self.n_regions + 1))
        self.region_needs = [order[bounds[r] : bounds[r + 1]] for r in range(self.n_regions)]
        self.center = np.zeros((self.n_regions, 3))
        self.radius = np.zeros(self.n_regions)
        for r, needs in enumerate(self.region_needs):
            pts = self.xyz[a.need_place[needs]]
            c = pts.mean(axis=0)
            c /= max(np.linalg.norm(c), 1e-12)
            self.center[r] = c
            self.radius[r] = float(np.linalg.norm(pts - c, axis=1).max(initial=0.0))
        # Offer-resource pairs, for the resource test.
        self.pair_offer = np.repeat(np.arange(len(a.offer_quantity)), np.diff(a.offer_resource_ptr))
        self.enumerated = 0  # arcs produced so far (all requests)

    def __repr__(self) -> str:
        return f"ArcSource({len(self.a.need_quantity)} needs, {len(self.a.offer_quantity)} offers, {self.n_regions} regions)"

    def arcs(
        self,
        offers: np.ndarray | None = None,
        needs: np.ndarray | None = None,
        reach_km=None,
        regions=None,
    ) -> Iterator[Arcs]:
        """The arcs from ``offers`` to ``needs`` (index arrays; None: all), one region at a time.

        ``reach_km(region, offers)``, if given, returns a search distance per
        offer for that region (at most the offer's radius; below 0: skip it);
        arcs are still only those the offer's own radius allows. ``regions``:
        only those (default: all).
        """
        a = self.a
        offers = np.arange(len(a.offer_quantity)) if offers is None else np.asarray(offers, np.int64)
        want = None
        if needs is not None:
            want = np.zeros(len(a.need_quantity), bool)
            want[np.asarray(needs, np.int64)] = True
        if not len(offers):
            return
        oxyz = self.xyz[a.offer_place[offers]]
        for r in range(self.n_regions) if regions is None else regions:
            rn = self.region_needs[r]
            if want is not None:
                rn = rn[want[rn]]
            if not len(rn):
                continue
            reach = self.offer_chord[offers]
            if reach_km is not None:
                km = np.minimum(reach_km(r, offers), a.offer_radius[offers])
                ok = km >= 0
                reach = np.where(ok, _chord(np.maximum(km, 0.0)), -1.0)
            near = np.linalg.norm(oxyz - self.center[r], axis=1) <= self.radius[r] + reach
            near &= reach >= 0
            if not near.any():
                continue
            chunk = self._between(offers[near], reach[near], rn)
            self.enumerated += len(chunk)
            if len(chunk):
                yield chunk

    def all_arcs(self, offers=None, needs=None, reach_km=None) -> Arcs:
        """:meth:`arcs` gathered into one :class:`Arcs` (sorted by offer, then need)."""
        return concat(list(self.arcs(offers, needs, reach_km)))

    def _between(self, offers: np.ndarray, chord: np.ndarray, needs: np.ndarray) -> Arcs:
        from scipy.spatial import cKDTree

        a, n_res = self.a, self.n_res
        key = a.need_place[needs] * n_res + a.need_resource[needs]
        order = np.argsort(key, kind="stable")
        skey, sneeds = key[order], needs[order]
        places = np.unique(a.need_place[needs])
        tree = cKDTree(self.xyz[places])
        q = np.column_stack([a.offer_place[offers].astype(float), chord])
        uq, inv = np.unique(q, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        hits = tree.query_ball_point(self.xyz[uq[:, 0].astype(np.int64)], uq[:, 1])
        hit_len = np.fromiter((len(h) for h in hits), np.int64, len(hits))
        hit_ptr = np.concatenate([[0], np.cumsum(hit_len)])
        hit_all = np.fromiter((x for h in hits for x in h), np.int64, int(hit_ptr[-1]))
        ptr = a.offer_resource_ptr
        k, elem = _expand(ptr[offers], ptr[offers + 1])
        pair_offer, pair_res, g = offers[k], a.offer_resource[elem], inv[k]
        pair_k, pos = _expand(hit_ptr[g], hit_ptr[g + 1])
        cand_key = places[hit_all[pos]] * n_res + pair_res[pair_k]
        lo = np.searchsorted(skey, cand_key, "left")
        hi = np.searchsorted(skey, cand_key, "right")
        cand_k, npos = _expand(lo, hi)
        return finish(a, pair_offer[pair_k[cand_k]], sneeds[npos])


def finish(a, offer: np.ndarray, need: np.ndarray) -> Arcs:
    """Arcs among candidate pairs that the offers' radii allow, sorted by offer, then need."""
    po, pn = a.offer_place[offer], a.need_place[need]
    km = haversine_km(a.lat[po], a.lon[po], a.lat[pn], a.lon[pn])
    km = np.where(po == pn, 0.0, km)
    keep = km <= a.offer_radius[offer]
    offer, need, km = offer[keep], need[keep], km[keep]
    order = np.lexsort((need, offer))
    return Arcs(offer[order].astype(np.int64), need[order].astype(np.int64), km[order])


def concat(parts: list[Arcs]) -> Arcs:
    """One :class:`Arcs` from several, without duplicate (offer, need) pairs, sorted."""
    if not parts:
        return Arcs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    o = np.concatenate([p.offer for p in parts])
    n = np.concatenate([p.need for p in parts])
    km = np.concatenate([p.km for p in parts])
    key = o * (int(n.max(initial=0)) + 1) + n
    _, first = np.unique(key, return_index=True)
    return Arcs(o[first], n[first], km[first])


def _median_split(pts: np.ndarray, depth: int) -> np.ndarray:
    """Region of each point: ``depth`` rounds of median cuts along the widest axis."""
    label = np.zeros(len(pts), np.int64)
    for _ in range(depth):
        new = label * 2
        for r in np.unique(label):
            idx = np.flatnonzero(label == r)
            if len(idx) < 2:
                continue
            p = pts[idx]
            axis = int(np.argmax(p.max(axis=0) - p.min(axis=0)))
            cut = np.median(p[:, axis])
            new[idx[p[:, axis] > cut]] += 1
        label = new
    _, label = np.unique(label, return_inverse=True)
    return label.reshape(-1)


def nearest_core(src: ArcSource, k: int) -> Arcs:
    """Each need's arcs from (about) its ``k`` nearest offer places, region by region.

    The ``k`` nearest offer places within the largest radius are searched from
    each need place; of the offers there, those of the need's resource whose
    radius reaches it make its arcs.
    """
    from scipy.spatial import cKDTree

    a = src.a
    n_o = len(a.offer_quantity)
    if not n_o or not len(a.need_quantity):
        return concat([])
    oplaces, oinv = np.unique(a.offer_place, return_inverse=True)
    by_place = np.argsort(oinv.reshape(-1), kind="stable")
    optr = np.searchsorted(oinv.reshape(-1)[by_place], np.arange(len(oplaces) + 1))
    max_chord = float(src.offer_chord.max())
    parts = []
    for r in range(src.n_regions):
        rn = src.region_needs[r]
        if not len(rn):
            continue
        # Offer places whose reach may meet this region.
        d = np.linalg.norm(src.xyz[oplaces] - src.center[r], axis=1)
        cand = np.flatnonzero(d <= src.radius[r] + max_chord)
        if not len(cand):
            continue
        tree = cKDTree(src.xyz[oplaces[cand]])
        nplaces, ninv = np.unique(a.need_place[rn], return_inverse=True)
        kk = min(k, len(cand))
        _, nearest = tree.query(src.xyz[nplaces], k=kk, distance_upper_bound=max_chord)
        nearest = nearest.reshape(len(nplaces), kk)
        ok = nearest < len(cand)
        np_i, col = np.nonzero(ok)
        op = cand[nearest[np_i, col]]  # index into oplaces
        # Expand need places to their needs and offer places to their offers.
        order = np.argsort(ninv.reshape(-1), kind="stable")
        nptr = np.searchsorted(ninv.reshape(-1)[order], np.arange(len(nplaces) + 1))
        pk, npos = _expand(nptr[np_i], nptr[np_i + 1])
        need = rn[order[npos]]
        op = op[pk]
        qk, opos = _expand(optr[op], optr[op + 1])
        offer, need = by_place[opos], need[qk]
        offer, need = _same_resource(a, src.n_res, offer, need)
        parts.append(finish(a, offer, need))
    return concat(parts)


def _same_resource(a, n_res: int, offer: np.ndarray, need: np.ndarray):
    """The candidate pairs whose need's resource is among the offer's."""
    pair_key = src_pair_keys(a, n_res)
    key = offer * n_res + a.need_resource[need]
    pos = np.searchsorted(pair_key, key)
    ok = (pos < len(pair_key)) & (pair_key[np.minimum(pos, len(pair_key) - 1)] == key)
    return offer[ok], need[ok]


def src_pair_keys(a, n_res: int) -> np.ndarray:
    """Sorted keys ``offer * n_res + resource`` of every offer's resources."""
    pair_offer = np.repeat(np.arange(len(a.offer_quantity)), np.diff(a.offer_resource_ptr))
    return np.sort(pair_offer * n_res + a.offer_resource)


def half_circumference_km() -> float:
    """The longest great-circle distance, in km."""
    return float(np.pi * EARTH_RADIUS_KM)
