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

from collections.abc import Callable

from .arcs import build_arcs, need_places
from .assemble import QUANTITY_LIMIT, Scaled, _assemble, in_steps, kept_summary, scale_quantities
from .distance import least_distance
from .leximin import leximin
from .model import Problem
from .result import Plan
from . import sparse  # its threshold is read when a plan starts (tests and callers may change it)
from .stability import previous_units, stable_flow

__all__ = ["QUANTITY_LIMIT", "Scaled", "in_steps", "kept_summary", "plan", "scale_quantities"]


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
    no_index = mode == "sparse" or ray or not len(a.offer_quantity) or not len(a.need_quantity)
    index = None if no_index else need_places(a)  # shared by the estimate and the arcs
    if mode == "sparse" or ray or (mode == "auto" and _big(a, index)):
        return sparse.sparse_plan(problem, progress=progress, ray=ray)
    say("building arcs")
    arcs = build_arcs(a, index)
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


def _big(arrays, index=None) -> bool:
    return sparse.estimate_arcs(arrays, index=index) > sparse.SPARSE_ABOVE_ARCS
