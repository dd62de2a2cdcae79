"""Seeded random problems that look like a city: for tests and benchmarks.

Needs and offers cluster in neighbourhoods, places are cells of about 1 km,
offers reach 1 to 10 km, about a fifth of needs are urgent and half of the
resources are basic. Supply is a little short of demand, so the plan has to
choose.
"""

from __future__ import annotations

import numpy as np

from .model import Need, Offer, Place, Problem, Resource

_UNITS = ("kg", "hours", "items")


def _resources(n: int) -> tuple[Resource, ...]:
    return tuple(Resource(f"r{k}", _UNITS[k % len(_UNITS)], basic=k % 2 == 0) for k in range(n))


def _points(rng, n: int, centres: np.ndarray, spread_km: float) -> np.ndarray:
    c = centres[rng.integers(0, len(centres), n)]
    return c + rng.normal(0.0, spread_km, (n, 2))


def city_problem(
    n_needs: int,
    *,
    seed: int,
    offers_per_need: float = 0.3,
    n_resources: int = 10,
    supply_ratio: float = 0.9,
    radii_km: tuple[float, ...] = (1.0, 3.0, 5.0, 10.0),
    centre: tuple[float, float] = (34.05, -118.25),
) -> Problem:
    """A city-like problem with ``n_needs`` needs, the same for the same ``seed``.

    Examples
    --------
    >>> p = city_problem(50, seed=1)
    >>> len(p.needs), len(p.offers), city_problem(50, seed=1) == p
    (50, 15, True)
    """
    rng = np.random.default_rng(seed)
    n_offers = max(1, round(n_needs * offers_per_need))
    n_clusters = max(1, n_needs // 400)
    side = 6.0 * np.sqrt(n_clusters)
    centres = rng.uniform(-side / 2, side / 2, (n_clusters, 2))
    pts = _points(rng, n_needs + n_offers, centres, 1.5)
    cell = np.round(pts).astype(np.int64)  # 1 km cells
    cells, inv = np.unique(cell, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    lat = centre[0] + cells[:, 1] / 111.2
    lon = centre[1] + cells[:, 0] / (111.2 * np.cos(np.radians(centre[0])))
    places = tuple(Place(f"c{k}", round(float(a), 6), round(float(b), 6)) for k, (a, b) in enumerate(zip(lat, lon)))
    resources = _resources(n_resources)
    need_res = rng.integers(0, n_resources, n_needs)
    need_q = rng.integers(1, 11, n_needs).astype(float)
    urgent = rng.random(n_needs) < 0.2
    needs = tuple(
        Need(f"n{i}", resources[r].id, float(q), places[p].id, bool(u))
        for i, (r, q, p, u) in enumerate(zip(need_res.tolist(), need_q.tolist(), inv[:n_needs].tolist(), urgent.tolist()))
    )
    offers = []
    mean_q = supply_ratio * need_q.sum() / n_offers
    for j in range(n_offers):
        first = int(rng.integers(0, n_resources))
        same_unit = [k for k in range(n_resources) if k % len(_UNITS) == first % len(_UNITS)]
        extra = rng.choice(same_unit, size=min(int(rng.integers(0, 3)), len(same_unit)), replace=False).tolist()
        res = tuple(resources[k].id for k in sorted({first, *extra}))
        q = float(max(1, round(rng.exponential(mean_q))))
        radius = float(rng.choice(radii_km))
        offers.append(Offer(f"o{j}", res, q, places[inv[n_needs + j]].id, radius))
    return Problem(resources=resources, places=places, needs=needs, offers=tuple(offers))
