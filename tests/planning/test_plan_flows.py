"""The network-flow layer on published instances and by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sinfronteras import data
from sinfronteras.planning.errors import SolverError
from sinfronteras.planning.flows import max_flow, min_cost_flow, read_dimacs_min, solve_dimacs_min


def test_netgen_2_reaches_its_published_optimum():
    inst = read_dimacs_min(data.path("flows", "netgen-2.min"))
    assert (inst.n_nodes, len(inst.tails)) == (400, 1416)
    r = solve_dimacs_min(inst)
    assert r.cost == 6749969302
    # The flow is feasible: capacities and conservation.
    assert np.all(r.flows >= inst.lower) and np.all(r.flows <= inst.capacities)
    net = np.zeros(inst.n_nodes, np.int64)
    np.add.at(net, inst.tails, r.flows)
    np.subtract.at(net, inst.heads, r.flows)
    assert np.array_equal(net, inst.supplies)
    assert int((r.flows * inst.costs).sum()) == r.cost


def test_max_flow_min_cut_side():
    # 0 -> 1 (cap 5) -> 3 (cap 1); 0 -> 2 (cap 1) -> 3 (cap 9): value 2, only 1 reachable.
    r = max_flow(4, [0, 1, 0, 2], [1, 3, 2, 3], [5, 1, 1, 9], 0, 3)
    assert r.value == 2
    assert r.source_side.tolist() == [True, True, False, False]


def test_infeasible_min_cost_flow_is_an_error():
    with pytest.raises(SolverError):
        min_cost_flow(2, [0], [1], [1], [1], [5, -5])
