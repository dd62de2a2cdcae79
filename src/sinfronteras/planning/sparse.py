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
(:func:`~sinfronteras.planning.certify.priced_distance`); with previous
allocations, the stability stage is priced out the same way (:func:`_keep_on_core`).

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

from .arcs import NeedPlaces, _chord, need_places
from .assemble import _assemble, in_steps, kept_summary, scale_quantities
from .certify import _allowed, cost_decimals, priced_distance
from .core import CORE_K, Core
from .leximin import leximin
from .planet import RaySource
from .regions import ArcSource, _same_resource, finish
from .stability import previous_units, stable_flow

#: ``mode="auto"`` plans on a sparse core above this many arcs (estimated).
SPARSE_ABOVE_ARCS = 4_000_000
#: Offers sampled to estimate the number of arcs.
ESTIMATE_SAMPLE = 256


def estimate_arcs(arrays, seed: int = 0, index: NeedPlaces | None = None) -> float:
    """About how many arcs a problem has, from a sample of its offers.

    ``index``: the needs' places and their k-d tree, when the caller has them
    (:func:`~sinfronteras.planning.arcs.need_places`; built here otherwise).

    >>> from sinfronteras.planning.generate import city_problem
    >>> from sinfronteras.planning.arcs import build_arcs
    >>> p = city_problem(2000, seed=1)
    >>> 0.5 < estimate_arcs(p.arrays) / len(build_arcs(p.arrays)) < 2
    True
    """
    n_o, n_n = len(arrays.offer_quantity), len(arrays.need_quantity)
    if not n_o or not n_n:
        return 0.0
    rng = np.random.default_rng(seed)
    pick = rng.choice(n_o, size=min(n_o, ESTIMATE_SAMPLE), replace=False)
    index = need_places(arrays) if index is None else index
    hits = index.tree.query_ball_point(index.xyz[arrays.offer_place[pick]], _chord(arrays.offer_radius[pick]))
    near = np.array([int(index.weight[h].sum()) for h in hits], np.int64)  # needs within reach
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
    say = progress or (lambda msg: None)
    a = problem.arrays
    src = ArcSource(a)
    if ray:
        src = RaySource(src, ray, say)
    try:
        say(f"sparse core: {src.n_regions} regions")
        core = Core.start(src, CORE_K if k is None else k)
        say(f"sparse core: {len(core)} arcs")
        sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
        lex = leximin(core.offer, core.need, sc.need, sc.offer, a.need_tier, progress, sc.whole, oracle=core)
        say(f"least distance on the core ({len(core)} arcs)")
        arcs, flow, rounds = priced_distance(core, lex.met, sc.offer, lex.offer_cell, lex.need_cell, progress)
        prev = None
        if problem.previous:
            say("keeping the previous plan on the core")
            arcs, flow, prev, keep_rounds = _keep_on_core(problem, src, core, sc, lex, progress)
        reach = np.zeros(len(a.need_quantity), bool)
        reach[core.need] = True
        say("assembling the plan")
        result = _assemble(problem, arcs, sc, lex, flow, reach)
        if prev is not None:
            result.summary["previous"] = kept_summary(problem, arcs, sc, flow, *prev)
        result.summary["sparse_core"] = {
            "arcs": len(core),
            "searches": core.searches,
            "added": core.added,
            "distance_rounds": rounds,
        }
        if prev is not None:
            result.summary["sparse_core"]["keep_rounds"] = keep_rounds
        return result
    finally:
        close = getattr(src, "close", None)
        if close is not None:
            close()


def _keep_on_core(problem, src, core, sc, lex, progress=None):
    """The stability stage over all arcs, on the core priced out.

    The previous allocations' arcs join the core; the stage runs on the core's allowed
    arcs; its two stages' exact potentials then price every arc of the full set
    (:func:`~sinfronteras.planning.stability.stable_flow`): an arc that could keep more
    (its keep potentials rise from offer to need; costs there are 0, so only offers
    below the highest need's potential are searched), or keep as much at less distance
    (pruned by distance as in :mod:`sinfronteras.planning.certify`), joins the core, and
    the stage runs again. With none left, the potentials prove the plan keeps the most
    over all arcs and then has the least distance.
    """
    a, met = src.a, lex.met
    offer_at = {o.id: j for j, o in enumerate(problem.offers)}
    need_at = {n.id: i for i, n in enumerate(problem.needs)}
    pairs = [(offer_at[p.offer], need_at[p.need]) for p in problem.previous
             if p.offer in offer_at and p.need in need_at]
    if pairs:
        o, n = (np.array(col, np.int64) for col in zip(*pairs))
        o, n = _same_resource(a, src.n_res, o, n)
        got = finish(a, o, n)
        core.add(got.offer, got.need, got.km)

    def allowed(o, n):
        return (lex.offer_cell[o] == lex.need_cell[n]) & (met[n] > 0)

    k = cost_decimals(a, sc.offer)
    scale = 10.0**k
    needs = np.flatnonzero(met > 0)
    n_o = len(sc.offer)
    rounds = 0
    while True:
        arcs = _allowed(core.arcs, allowed)
        prev = previous_units(problem, arcs, sc)
        flow, keep, dist = stable_flow(arcs, met, sc.offer, *prev, k=k, potentials=True)
        rounds += 1
        if progress is not None:
            progress(f"keeping the previous plan: round {rounds}, {len(arcs)} arcs")
        k_o, k_n, d_o, d_n = keep[:n_o], keep[n_o:], dist[:n_o], dist[n_o:]
        found = []
        below = np.flatnonzero(k_o < k_n[needs].max(initial=-(2**62)))
        for c in src.arcs(below, needs) if len(below) else ():
            m = allowed(c.offer, c.need) & (k_o[c.offer] < k_n[c.need])
            found.append((c.offer[m], c.need[m], c.km[m]))
        top = np.full(src.n_regions, -(2**62), np.int64)
        np.maximum.at(top, src.need_region[needs], d_n[needs])

        def reach(r, offers, top=top, d_o=d_o):
            return (top[r] - d_o[offers] + 1).astype(float) / scale

        for c in src.arcs(None, needs, reach):
            rc = np.rint(c.km * scale).astype(np.int64) + d_o[c.offer] - d_n[c.need]
            m = allowed(c.offer, c.need) & (k_o[c.offer] == k_n[c.need]) & (rc < 0)
            found.append((c.offer[m], c.need[m], c.km[m]))
        core.searches += 1
        before = len(core)
        for fo, fn, fk in found:
            core.add(fo, fn, fk)
        if len(core) == before:  # nothing new: the potentials certify the plan over all arcs
            return arcs, flow, prev, rounds
