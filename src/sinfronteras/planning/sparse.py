"""The certified sparse-core planner: the same plan without ever holding every arc.

Contract: every need's ``met`` is identical to the full planner's
(:func:`sinfronteras.planning.solve.plan` with ``mode="full"``), to the
quantity unit, and so is the integer total distance (in the cost unit of
:func:`~sinfronteras.planning.certify.cost_decimals`, metres unless the
numbers are huge); allocations may differ only among choices of equal cost.
The quantity scale is chosen once for the whole problem, as in the full
planner.

Stages: arcs are enumerated by region on demand
(:class:`~sinfronteras.planning.regions.ArcSource`); the core starts as each
need's nearest offers; the leximin stage runs on the core, with its
components, maximum flows and roundings certified against all arcs
(:class:`~sinfronteras.planning.core.Core`); the least-distance stage prices
out all arcs against the core's exact potentials
(:func:`~sinfronteras.planning.certify.priced_distance`).

Examples
--------
>>> from sinfronteras.planning.generate import city_problem
>>> from sinfronteras.planning import plan
>>> p = city_problem(300, seed=4)
>>> full, sparse = plan(p, mode="full"), plan(p, mode="sparse")
>>> bool((full.met == sparse.met).all())
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: ``mode="auto"`` plans on a sparse core above this many arcs (estimated).
SPARSE_ABOVE_ARCS = 4_000_000
#: Offers sampled to estimate the number of arcs.
ESTIMATE_SAMPLE = 256


def estimate_arcs(arrays, seed: int = 0) -> float:
    """About how many arcs a problem has, from a sample of its offers.

    >>> from sinfronteras.planning.generate import city_problem
    >>> from sinfronteras.planning.arcs import build_arcs
    >>> p = city_problem(2000, seed=1)
    >>> 0.5 < estimate_arcs(p.arrays) / len(build_arcs(p.arrays)) < 2
    True
    """
    from scipy.spatial import cKDTree

    from .arcs import _chord, _unit_vectors

    n_o, n_n = len(arrays.offer_quantity), len(arrays.need_quantity)
    if not n_o or not n_n:
        return 0.0
    rng = np.random.default_rng(seed)
    pick = rng.choice(n_o, size=min(n_o, ESTIMATE_SAMPLE), replace=False)
    xyz = _unit_vectors(arrays.lat, arrays.lon)
    tree = cKDTree(xyz[arrays.need_place])
    near = tree.query_ball_point(xyz[arrays.offer_place[pick]], _chord(arrays.offer_radius[pick]), return_length=True)
    n_res = max(int(arrays.need_resource.max()), int(arrays.offer_resource.max())) + 1
    share = np.bincount(arrays.need_resource, minlength=n_res) / n_n
    ptr = arrays.offer_resource_ptr
    frac = np.array([share[arrays.offer_resource[ptr[j] : ptr[j + 1]]].sum() for j in pick])
    return float((near * frac).mean() * n_o)


def sparse_plan(problem, *, progress: Callable[[str], None] | None = None, ray=None, k: int | None = None):
    """Plan ``problem`` on a certified sparse core of arcs (see the module's contract).

    ``ray``: True for a local Ray, an address for a running cluster; the
    regions' searches then run as Ray actors (:mod:`sinfronteras.planning.planet`).
    ``k``: nearest offer places per need that start the core.
    """
    from .core import CORE_K, Core
    from .certify import priced_distance
    from .leximin import leximin
    from .regions import ArcSource
    from .solve import _assemble, in_steps, scale_quantities

    say = progress or (lambda msg: None)
    a = problem.arrays
    src = ArcSource(a)
    if ray:
        from .planet import RaySource

        src = RaySource(src, ray, say)
    try:
        say(f"sparse core: {src.n_regions} regions")
        core = Core.start(src, CORE_K if k is None else k)
        say(f"sparse core: {len(core)} arcs")
        sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
        lex = leximin(core.offer, core.need, sc.need, sc.offer, a.need_tier, progress, sc.whole, oracle=core)
        say(f"least distance on the core ({len(core)} arcs)")
        arcs, flow, rounds = priced_distance(core, lex.met, sc.offer, lex.offer_cell, lex.need_cell, progress)
        reach = np.zeros(len(a.need_quantity), bool)
        reach[core.need] = True
        say("assembling the plan")
        result = _assemble(problem, arcs, sc, lex, flow, reach)
        result.summary["sparse_core"] = {
            "arcs": len(core),
            "searches": core.searches,
            "added": core.added,
            "distance_rounds": rounds,
        }
        return result
    finally:
        close = getattr(src, "close", None)
        if close is not None:
            close()
