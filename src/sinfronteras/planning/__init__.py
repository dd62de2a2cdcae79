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

import importlib

from .errors import PlanningError, ProblemError, SolverError

#: Names this package gives, and the module each comes from: imported on first use, so that
#: ``sinfronteras plan --help`` (this package's ``cli``) answers without numpy and the planner.
_LAZY = {
    "FORMAT_VERSION": "model", "Need": "model", "Offer": "model", "Place": "model", "Previous": "model",
    "Problem": "model", "Resource": "model",
    "Allocation": "result", "NeedResult": "result", "Plan": "result",
    "plan": "solve",  # the fairest plan (see sinfronteras.planning.solve.plan)
    "greedy": "greedy",  # the one-request-at-a-time baseline (see sinfronteras.planning.greedy.greedy)
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
