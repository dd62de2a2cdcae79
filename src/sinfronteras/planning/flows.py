"""A thin, vectorised layer over OR-Tools' network-flow solvers.

Flows and costs are integers (int64). :func:`max_flow` returns the flow value,
arc flows and the source side of a minimum cut; :func:`min_cost_flow` solves a
balanced min-cost flow. :func:`read_dimacs_min` reads DIMACS ``min`` files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import SolverError

#: Largest magnitude kept for any integer flow or cost product (OR-Tools is int64).
INT_LIMIT = 2**62


@dataclass(frozen=True)
class MaxFlowResult:
    """Value of a maximum flow, its arc flows, and which nodes lie on the source side."""

    value: int
    flows: np.ndarray
    source_side: np.ndarray


@dataclass(frozen=True)
class MinCostFlowResult:
    """Least cost of a min-cost flow and its arc flows."""

    cost: int
    flows: np.ndarray


def max_flow(n_nodes: int, tails, heads, capacities, source: int, sink: int) -> MaxFlowResult:
    """Maximum flow from ``source`` to ``sink`` with OR-Tools ``SimpleMaxFlow``.

    ``source_side`` is a boolean mask of the nodes reachable from the source in
    the residual network (the minimal source side of a minimum cut).

    Examples
    --------
    >>> r = max_flow(4, [0, 0, 1, 2], [1, 2, 3, 3], [3, 2, 1, 5], 0, 3)
    >>> r.value, r.flows.tolist(), r.source_side.tolist()
    (3, [1, 2, 1, 2], [True, True, False, False])
    """
    from ortools.graph.python import max_flow as mf

    solver = mf.SimpleMaxFlow()
    tails = np.asarray(tails, np.int32)
    if n_nodes > 0:
        # Make sure every node exists even when it has no arc.
        solver.add_arc_with_capacity(n_nodes - 1, n_nodes - 1, 0)
    arcs = solver.add_arcs_with_capacity(tails, np.asarray(heads, np.int32), np.asarray(capacities, np.int64))
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise SolverError(f"max flow returned status {status}")
    side = np.zeros(n_nodes, bool)
    side[np.asarray(solver.get_source_side_min_cut(), np.int64)] = True
    return MaxFlowResult(int(solver.optimal_flow()), np.asarray(solver.flows(arcs), np.int64), side)


def min_cost_flow(n_nodes: int, tails, heads, capacities, costs, supplies) -> MinCostFlowResult:
    """Least-cost flow meeting every node's supply (positive) or demand (negative).

    Raises
    ------
    SolverError
        If the network is infeasible or unbalanced, or the numbers are too large.

    Examples
    --------
    >>> r = min_cost_flow(3, [0, 0, 1], [1, 2, 2], [5, 5, 5], [1, 4, 1], [4, 0, -4])
    >>> r.cost, r.flows.tolist()
    (8, [4, 0, 4])
    """
    from ortools.graph.python import min_cost_flow as mcf

    solver = mcf.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, np.int32),
        np.asarray(heads, np.int32),
        np.asarray(capacities, np.int64),
        np.asarray(costs, np.int64),
    )
    supplies = np.asarray(supplies, np.int64)
    if len(supplies):
        solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise SolverError(f"min cost flow returned status {status}")
    return MinCostFlowResult(int(solver.optimal_cost()), np.asarray(solver.flows(arcs), np.int64))


@dataclass(frozen=True)
class DimacsMin:
    """A DIMACS ``min`` instance with 0-based nodes."""

    n_nodes: int
    tails: np.ndarray
    heads: np.ndarray
    lower: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray


def read_dimacs_min(path: str | Path) -> DimacsMin:
    """Read a DIMACS min-cost-flow file (``p min``, ``n`` and ``a`` lines)."""
    n_nodes = 0
    supplies: dict[int, int] = {}
    arcs: list[tuple[int, int, int, int, int]] = []
    for line in Path(path).read_text().splitlines():
        f = line.split()
        if not f or f[0] == "c":
            continue
        if f[0] == "p":
            n_nodes = int(f[2])
        elif f[0] == "n":
            supplies[int(f[1]) - 1] = int(f[2])
        elif f[0] == "a":
            arcs.append((int(f[1]) - 1, int(f[2]) - 1, int(f[3]), int(f[4]), int(f[5])))
    a = np.array(arcs, np.int64).reshape(-1, 5)
    s = np.zeros(n_nodes, np.int64)
    for k, v in supplies.items():
        s[k] = v
    return DimacsMin(n_nodes, a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], s)


def solve_dimacs_min(inst: DimacsMin) -> MinCostFlowResult:
    """Solve a DIMACS instance (lower bounds shifted out) with :func:`min_cost_flow`."""
    supplies = inst.supplies.copy()
    np.subtract.at(supplies, inst.tails, inst.lower)
    np.add.at(supplies, inst.heads, inst.lower)
    r = min_cost_flow(inst.n_nodes, inst.tails, inst.heads, inst.capacities - inst.lower, inst.costs, supplies)
    return MinCostFlowResult(r.cost + int((inst.lower * inst.costs).sum()), r.flows + inst.lower)
