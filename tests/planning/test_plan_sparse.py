"""The sparse-core planner (and on Ray) gives the full planner's met and integer distance.

Every need's ``met`` is compared in quantity units, the total distance in
whole cost units (metres); and the sparse plans are checked independently of
the planner's own certificates: over ALL arcs, a maximum flow cannot meet more
of any tier given the earlier tiers, and HiGHS' transportation LP over all
allowed arcs finds no shorter total distance.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linprog
from test_plan_properties import problems
from test_plan_steps import stepped_problems

from sinfronteras.planning import Problem, plan
from sinfronteras.planning.arcs import build_arcs
from sinfronteras.planning.flows import max_flow
from sinfronteras.planning.generate import city_problem
from sinfronteras.planning.leximin import leximin
from sinfronteras.planning.solve import in_steps, scale_quantities

STEPS = {"items": 1.0, "kg": 0.5, "hours": 0.5}


def units(p: Problem, r):
    """Met per need and the integer total distance (metres) of a plan, in the planner's units."""
    a = p.arrays
    sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
    res = r.summary["quantity_resolution"]

    def count(q, step):
        return np.where(step > 0, np.rint(q / np.where(step > 0, step, 1)), np.rint(q / res)).astype(np.int64)

    met = np.where(r.fraction >= 1, sc.need, count(r.met, a.need_step))
    moved = count(r.alloc_quantity, a.offer_step[r.alloc_offer])
    dist = int(np.dot(moved, np.rint(r.alloc_km * 1000).astype(np.int64)))
    return sc, met, dist, moved


def assert_same(p: Problem, full, sparse) -> None:
    _, m1, d1, _ = units(p, full)
    _, m2, d2, _ = units(p, sparse)
    assert np.array_equal(m1, m2), f"{int((m1 != m2).sum())} needs differ"
    assert d1 == d2
    assert full.summary["tiers"] == sparse.summary["tiers"]


def assert_nothing_more_can_be_met(p: Problem, r) -> None:
    """Over all arcs: for each tier, with the earlier tiers held at their met, no flow meets more."""
    a = p.arrays
    sc, met, _, _ = units(p, r)
    arcs = build_arcs(a)
    n_o, n_n = len(sc.offer), len(sc.need)
    for tier in np.unique(a.need_tier):
        cap = np.where(a.need_tier < tier, met, np.where(a.need_tier == tier, sc.need, 0))
        src, snk = n_o + n_n, n_o + n_n + 1
        f = max_flow(
            n_o + n_n + 2,
            np.concatenate([np.full(n_o, src), arcs.offer, np.arange(n_n) + n_o]),
            np.concatenate([np.arange(n_o), arcs.need + n_o, np.full(n_n, snk)]),
            np.concatenate([sc.offer, sc.offer[arcs.offer], cap]),
            src,
            snk,
        )
        got = int(met[a.need_tier <= tier].sum())
        # Levels are rounded down: at most one unit per need of the tier below the exact value.
        assert got <= f.value <= got + int((a.need_tier == tier).sum())


def assert_least_distance_over_all_arcs(p: Problem, r) -> None:
    """HiGHS' transportation LP over all allowed arcs (met fixed) is no shorter than the plan."""
    a = p.arrays
    sc, met, dist, _ = units(p, r)
    arcs = build_arcs(a)
    lex = leximin(arcs.offer, arcs.need, sc.need, sc.offer, a.need_tier, whole=sc.whole)
    ok = (lex.offer_cell[arcs.offer] == lex.need_cell[arcs.need]) & (met[arcs.need] > 0)
    o, n, c = arcs.offer[ok], arcs.need[ok], np.rint(arcs.km[ok] * 1000)
    from scipy.sparse import coo_matrix

    m = len(o)
    eq = coo_matrix((np.ones(m), (n, np.arange(m))), shape=(len(met), m))
    ub = coo_matrix((np.ones(m), (o, np.arange(m))), shape=(len(sc.offer), m))
    lp = linprog(c, A_ub=ub, b_ub=sc.offer, A_eq=eq, b_eq=met, bounds=(0, None), method="highs")
    assert lp.status == 0
    assert abs(lp.fun - dist) <= 1e-6 * max(1.0, dist)


CITY = [
    dict(n=400, seed=11),
    dict(n=1500, seed=12, supply_ratio=0.5),
    dict(n=1500, seed=13, supply_ratio=1.4, radii_km=(2.0, 8.0)),
    dict(n=800, seed=14, n_resources=2, radii_km=(1.0, 30.0)),
]


@pytest.mark.parametrize("kw", CITY, ids=lambda kw: f"city-{kw['seed']}")
def test_the_sparse_core_plan_meets_every_need_as_the_full_plan_does(kw):
    kw = dict(kw)
    p = city_problem(kw.pop("n"), **kw)
    full, sparse = plan(p, mode="full"), plan(p, mode="sparse")
    assert_same(p, full, sparse)
    assert sparse.summary["sparse_core"]["arcs"] < len(build_arcs(p.arrays))
    assert "sparse_core" not in full.summary


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_on_small_random_problems_a_one_offer_core_plans_as_the_full_planner(doc):
    from sinfronteras.planning.sparse import sparse_plan

    p = Problem.from_json(doc)
    full, sparse = plan(p, mode="full"), sparse_plan(p, k=1)
    assert_same(p, full, sparse)
    assert [r.reason for r in full.need_results] == [r.reason for r in sparse.need_results]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stepped_problems())
def test_on_small_random_problems_with_steps_a_one_offer_core_plans_as_the_full_planner(doc):
    from sinfronteras.planning.sparse import sparse_plan

    p = Problem.from_json(doc)
    assert_same(p, plan(p, mode="full"), sparse_plan(p, k=1))


def test_a_tiny_core_still_certifies_to_the_same_plan():
    from sinfronteras.planning.sparse import sparse_plan

    p = city_problem(1200, seed=21, supply_ratio=0.7)
    full, sparse = plan(p, mode="full"), sparse_plan(p, k=1)
    assert_same(p, full, sparse)
    assert sparse.summary["sparse_core"]["added"] > 0  # the searches had work to do


def test_sparse_plans_pass_independent_certificates_over_all_arcs():
    p = city_problem(700, seed=31, supply_ratio=0.6, radii_km=(2.0, 6.0))
    r = plan(p, mode="sparse")
    assert_nothing_more_can_be_met(p, r)
    assert_least_distance_over_all_arcs(p, r)


def test_whole_steps_plan_the_same_on_the_sparse_core():
    p = city_problem(900, seed=41, supply_ratio=0.6)
    p = replace(p, resources=tuple(replace(r, step=STEPS[r.unit]) for r in p.resources))
    full, sparse = plan(p, mode="full"), plan(p, mode="sparse")
    assert_same(p, full, sparse)
    _, _, _, moved = units(p, sparse)
    steps = p.arrays.offer_step[sparse.alloc_offer]
    assert np.allclose(sparse.alloc_quantity / steps, moved)  # every allocation whole


def test_offers_of_unlimited_reach_plan_the_same():
    p = city_problem(600, seed=51, supply_ratio=0.8)
    doc = p.to_json()
    for o in doc["offers"][::7]:
        o.pop("radius_km", None)
    p = Problem.from_json(doc)
    assert_same(p, plan(p, mode="full"), plan(p, mode="sparse"))


def test_a_small_world_food_plan_is_the_same_on_the_sparse_core():
    from sinfronteras.world.build import world_problem

    p = Problem.from_json(world_problem(2017, min_pop=300_000, radius_km=1500).doc)
    full, sparse = plan(p, mode="full"), plan(p, mode="sparse")
    assert_same(p, full, sparse)
    assert_nothing_more_can_be_met(p, sparse)
    assert_least_distance_over_all_arcs(p, sparse)


def test_auto_mode_plans_on_the_sparse_core_above_the_threshold(monkeypatch):
    import sinfronteras.planning.sparse as sparse

    p = city_problem(300, seed=61)
    assert "sparse_core" not in plan(p).summary
    monkeypatch.setattr(sparse, "SPARSE_ABOVE_ARCS", 10)
    assert "sparse_core" in plan(p).summary


def test_the_command_plans_on_the_sparse_core_and_refuses_ray_with_full(tmp_path, capsys):
    from sinfronteras.planning.cli import main

    p = city_problem(300, seed=71)
    src = tmp_path / "p.json"
    src.write_text(json.dumps(p.to_json()))
    assert main([str(src), "-o", str(tmp_path / "a.json"), "--sparse-core"]) == 0
    assert main([str(src), "-o", str(tmp_path / "b.json"), "--full"]) == 0
    a, b = (json.loads((tmp_path / f).read_text()) for f in ("a.json", "b.json"))
    assert [n["met"] for n in a["needs"]] == [n["met"] for n in b["needs"]]
    assert "sparse_core" in a["summary"] and "sparse_core" not in b["summary"]
    capsys.readouterr()
    assert main([str(src), "--full", "--ray"]) == 2
    assert "leave out --full" in capsys.readouterr().err


# On Ray: one local Ray for the module (it takes a while to start), stopped after.


@pytest.fixture(scope="module")
def local_ray():
    from sinfronteras.planning.planet import start_local_ray

    token = start_local_ray(num_cpus=2)
    import ray

    yield ray
    ray.shutdown()
    import os

    os.remove(token)
    os.rmdir(os.path.dirname(token))


def test_ray_listens_on_loopback_with_a_private_token(local_ray):
    import os
    import stat

    ctx = local_ray.get_runtime_context()
    assert ctx.gcs_address.startswith("127.0.0.1:")
    token = os.environ["RAY_AUTH_TOKEN_PATH"]
    assert os.environ["RAY_AUTH_MODE"] == "token"
    assert stat.S_IMODE(os.stat(token).st_mode) == 0o600


@pytest.mark.parametrize("kw", CITY[:2], ids=lambda kw: f"city-{kw['seed']}")
def test_plans_on_ray_are_the_full_plans(local_ray, kw):
    kw = dict(kw)
    p = city_problem(kw.pop("n"), **kw)
    full, on_ray = plan(p, mode="full"), plan(p, mode="sparse", ray=True)
    assert_same(p, full, on_ray)
    assert local_ray.is_initialized()  # the module's Ray is reused, not stopped


def test_a_small_world_food_plan_on_ray_is_the_full_plan(local_ray):
    from sinfronteras.world.build import world_problem

    p = Problem.from_json(world_problem(2017, min_pop=300_000, radius_km=1500).doc)
    assert_same(p, plan(p, mode="full"), plan(p, ray=True))


def test_independent_components_go_to_ray_tasks_and_plan_the_same(local_ray, monkeypatch):
    import sinfronteras.planning.distance as distance
    from sinfronteras.planning import planet

    monkeypatch.setattr(distance, "BATCH_ARCS", 300)  # many small batches of components
    p = city_problem(1500, seed=12, supply_ratio=0.5)
    full, on_ray = plan(p, mode="full"), plan(p, mode="sparse", ray=True)
    assert_same(p, full, on_ray)
    assert planet.LAST_ACTOR_CPU_S > 0


def test_the_command_plans_on_an_existing_cluster_by_its_address(local_ray, tmp_path):
    import subprocess
    import sys

    p = city_problem(400, seed=81)
    src = tmp_path / "p.json"
    src.write_text(json.dumps(p.to_json()))
    address = local_ray.get_runtime_context().gcs_address
    # Another process connects with the cluster's token (RAY_AUTH_* are in the environment).
    cmd = [sys.executable, "-m", "sinfronteras.cli", "plan", str(src), "-o", str(tmp_path / "r.json"), "--ray", address]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    on_cluster = json.loads((tmp_path / "r.json").read_text())
    full = plan(p, mode="full").to_json()
    assert [n["met"] for n in on_cluster["needs"]] == [n["met"] for n in full["needs"]]
    assert local_ray.is_initialized() and local_ray.cluster_resources()["CPU"] == 2  # the cluster is still up
