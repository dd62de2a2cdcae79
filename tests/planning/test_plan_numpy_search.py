"""The planner's own components and place search give what scipy's gave, and a full plan needs no scipy."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from sinfronteras.planning.arcs import _chord, _unit_vectors
from sinfronteras.planning.components import components, hooked
from sinfronteras.planning.grid import PlaceGrid


def _scipy_labels(n, u, v):
    g = coo_matrix((np.ones(len(u), np.int8), (u, v)), shape=(n, n))
    return connected_components(g, directed=False)[1]


@pytest.mark.parametrize("seed", range(40))
def test_components_are_numbered_exactly_as_scipy_numbers_them(seed):  # numpy's, below scipy's size
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    if seed % 4 == 0:  # one long path through the nodes in a random order
        perm = rng.permutation(n)
        u, v = perm[:-1], perm[1:]
    else:
        m = int(rng.integers(0, 2 * n))
        u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    assert hooked(n, u, v).tolist() == components(n, u, v).tolist() == _scipy_labels(n, u, v).tolist()


def _places(rng, n, spread):
    if spread == "world":
        return rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)
    return 34 + rng.normal(0, 0.1, n), -118 + rng.normal(0, 0.1, n)


@pytest.mark.parametrize("spread", ["city", "world"])
@pytest.mark.parametrize("seed", range(10))
def test_the_grid_finds_the_places_a_kd_tree_finds(spread, seed):
    rng = np.random.default_rng(seed)
    points = _unit_vectors(*_places(rng, int(rng.integers(1, 400)), spread))
    centres = _unit_vectors(*_places(rng, 60, spread))
    km = rng.choice([0.0, 0.001, 1.0, 3.0, 10.0, 500.0, 2000.0, 30000.0, np.inf], len(centres))
    chord = _chord(km)
    expected = cKDTree(points).query_ball_point(centres, chord)
    ptr, idx = PlaceGrid(points).ball(centres, chord)
    assert [idx[ptr[k] : ptr[k + 1]].tolist() for k in range(len(centres))] == [sorted(h) for h in expected]


def test_the_grid_finds_nothing_among_no_places_and_nothing_at_a_negative_radius():
    ptr, idx = PlaceGrid(np.zeros((0, 3))).ball(np.zeros((2, 3)), 1.0)
    assert ptr.tolist() == [0, 0, 0] and idx.tolist() == []
    ptr, idx = PlaceGrid(np.array([[1.0, 0.0, 0.0]])).ball(np.array([[1.0, 0.0, 0.0]] * 2), np.array([-1.0, 0.0]))
    assert ptr.tolist() == [0, 0, 1] and idx.tolist() == [0]


def test_a_full_plan_through_the_command_never_imports_scipy(tmp_path):
    from sinfronteras.planning.generate import city_problem

    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(city_problem(300, seed=1).to_json()), encoding="utf-8")
    code = (
        "import sys\n"
        "from sinfronteras.planning.cli import main\n"
        f"code = main([{str(problem)!r}, '-o', {str(tmp_path / 'plan.json')!r}, '--full'])\n"
        "print(code, any(m.split('.')[0] == 'scipy' for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[-2:] == ["0", "False"]


@pytest.mark.parametrize("seed", range(5))
def test_least_distance_orders_arcs_by_component_as_a_stable_sort_would(seed):
    from sinfronteras.planning.distance import _by_component, _local

    rng = np.random.default_rng(seed)
    ao = np.sort(rng.integers(0, 50, 400))
    label = rng.integers(0, 7, 50)
    assert _by_component(ao, label).tolist() == np.argsort(label[ao], kind="stable").tolist()
    shuffled = rng.permutation(ao)  # not by offer: sorted anyway
    assert _by_component(shuffled, label).tolist() == np.argsort(label[shuffled], kind="stable").tolist()
    for n in (50, 10_000):  # by a mask, and by np.unique when the ids are few beside n
        found, inverse = _local(ao, n)
        expected = np.unique(ao, return_inverse=True)
        assert found.tolist() == expected[0].tolist() and inverse.tolist() == expected[1].tolist()
