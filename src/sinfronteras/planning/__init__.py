"""The planner: who gives what to whom, basic needs first and the worst-off first.

A pure library (no Django). Read a problem (format v1), compute the plan, write
it (plan format v1)::

    >>> from sinfronteras.planning import Problem, plan
    >>> problem = Problem.from_json({"version": 1,
    ...     "resources": [{"id": "rice", "unit": "kg", "basic": True}],
    ...     "places": [{"id": "bh", "lat": 34.0339, "lon": -118.2047}],
    ...     "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "bh", "urgent": True}],
    ...     "offers": [{"id": "o1", "resources": ["rice"], "quantity": 20, "place": "bh", "radius_km": 8}]})
    >>> plan(problem).to_json()["allocations"]
    [{'offer': 'o1', 'need': 'n1', 'quantity': 5.0}]

Within each tier (1 basic and urgent, 2 basic, 3 other and urgent, 4 other),
given the tiers before it, the fulfilled fractions are leximin-optimal; then
the total distance is the least. See :mod:`sinfronteras.planning.leximin`.
"""

from .errors import PlanningError, ProblemError, SolverError
from .model import FORMAT_VERSION, Need, Offer, Place, Previous, Problem, Resource
from .result import Allocation, NeedResult, Plan


def plan(problem, *, progress=None, mode="auto", ray=None):
    """The fairest plan for ``problem`` (see :func:`sinfronteras.planning.solve.plan`)."""
    from .solve import plan as _plan

    return _plan(problem, progress=progress, mode=mode, ray=ray)


def greedy(problem, arcs=None):
    """The one-request-at-a-time baseline (see :func:`sinfronteras.planning.greedy.greedy`)."""
    from .greedy import greedy as _greedy

    return _greedy(problem, arcs)


__all__ = [
    "FORMAT_VERSION",
    "Allocation",
    "Need",
    "NeedResult",
    "Offer",
    "Place",
    "Plan",
    "PlanningError",
    "Previous",
    "Problem",
    "ProblemError",
    "Resource",
    "SolverError",
    "greedy",
    "plan",
]
