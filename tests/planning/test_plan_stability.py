"""A replan keeps its word: the stability stage, checked against an LP oracle.

With every need's ``met`` fixed by the tiers, the plan keeps the largest
quantity of the previous allocations (``sum min(x, previous)``), then takes the
least distance among those plans. The oracle is an independent pair of linear
programs (scipy's ``linprog``, HiGHS) over every pair found by brute force:
first the most that can be kept, then the least distance with that much kept.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from test_plan_properties import brute_arcs, problems
from test_plan_steps import stepped_problems

from sinfronteras.planning import Problem, ProblemError, plan
from sinfronteras.planning.cli import main
from sinfronteras.planning.generate import city_problem
from sinfronteras.planning.sparse import sparse_plan

COMMON = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def with_previous(draw, base=problems):
    """A problem and, as ``previous``, the plan of a changed version of it, plus entries
    that no longer exist and arbitrary ones (a replan after needs and offers changed)."""
    doc = draw(base())
    before = dict(doc)
    before["needs"] = [n for n in doc["needs"] if draw(st.booleans()) or n["id"] == "n0"]
    before["offers"] = [o for o in doc["offers"] if draw(st.integers(0, 3))]
    previous = [{"offer": a.offer, "need": a.need, "quantity": a.quantity}
                for a in plan(Problem.from_json(before)).allocations]
    for _ in range(draw(st.integers(0, 3))):
        if doc["offers"] and doc["needs"]:
            previous.append({"offer": draw(st.sampled_from(doc["offers"]))["id"],
                             "need": draw(st.sampled_from(doc["needs"]))["id"],
                             "quantity": draw(st.sampled_from([0.5, 1, 2, 3]))})
    previous.append({"offer": "gone", "need": "n0", "quantity": 2})
    previous.append({"offer": "o0", "need": "gone-too", "quantity": 1})
    return {**doc, "previous": draw(st.permutations(previous))}


def oracle(doc: dict, met: np.ndarray) -> tuple[float, float]:
    """(most quantity kept, least distance with that kept) for needs that get exactly ``met``."""
    arcs = brute_arcs(doc)
    offer_at = {o["id"]: j for j, o in enumerate(doc["offers"])}
    need_at = {n["id"]: i for i, n in enumerate(doc["needs"])}
    arc_at = {(j, i): a for a, (j, i, _) in enumerate(arcs)}
    prev = defaultdict(float)
    for p in doc.get("previous", []):
        key = (offer_at.get(p["offer"]), need_at.get(p["need"]))
        if key in arc_at:
            prev[arc_at[key]] += p["quantity"]
    m, k = len(arcs), len(prev)
    if m == 0:
        return 0.0, 0.0
    kept_arcs = list(prev)
    n_o, n_n = len(doc["offers"]), len(doc["needs"])
    out = np.zeros((n_o, m + k))
    into = np.zeros((n_n, m + k))
    for a, (j, i, _) in enumerate(arcs):
        out[j, a] = into[i, a] = 1.0
    kx = np.zeros((k, m + k))  # kept_p - x_a <= 0
    for p, a in enumerate(kept_arcs):
        kx[p, m + p], kx[p, a] = 1.0, -1.0
    s = np.array([o["quantity"] for o in doc["offers"]])
    bounds = [(0, None)] * m + [(0, prev[a]) for a in kept_arcs]
    a_ub, b_ub = np.vstack([out, kx]), np.concatenate([s + 1e-9, np.zeros(k)])
    keep = np.concatenate([np.zeros(m), -np.ones(k)])
    first = linprog(keep, A_ub=a_ub, b_ub=b_ub, A_eq=into, b_eq=met, bounds=bounds, method="highs")
    assert first.status == 0, first.message
    most = -first.fun
    km = np.concatenate([[d for _, _, d in arcs], np.zeros(k)])
    a_ub2 = np.vstack([a_ub, keep[None, :]])
    b_ub2 = np.concatenate([b_ub, [-(most - 1e-7)]])
    second = linprog(km, A_ub=a_ub2, b_ub=b_ub2, A_eq=into, b_eq=met, bounds=bounds, method="highs")
    assert second.status == 0, second.message
    return most, second.fun


def kept_by(result, doc: dict) -> float:
    """How much of the previous allocations the plan's allocations keep, pair by pair."""
    prev = defaultdict(float)
    for p in doc.get("previous", []):
        prev[p["offer"], p["need"]] += p["quantity"]
    return sum(min(a.quantity, prev[a.offer, a.need]) for a in result.allocations)


def _plan(problem, mode):
    # The sparse core from each need's one nearest offer place: most arcs must be priced in.
    return sparse_plan(problem, k=1) if mode == "sparse" else plan(problem, mode=mode)


def counted(doc: dict) -> dict:
    """The document with each previous quantity of a resource with a step in whole steps
    (a part of a step counts as the step), as the planner counts it."""
    steps = {r["id"]: r.get("step") for r in doc["resources"]}
    offers = {o["id"]: o for o in doc["offers"]}
    out = []
    for p in doc.get("previous", []):
        step = steps[offers[p["offer"]]["resources"][0]] if p["offer"] in offers else None
        q = math.ceil(p["quantity"] / step - 1e-9) * step if step else p["quantity"]
        out.append({**p, "quantity": q})
    return {**doc, "previous": out}


def _check(doc: dict, mode: str = "full") -> None:
    problem = Problem.from_json(doc)
    doc = counted(doc)
    result = _plan(problem, mode)
    fresh = _plan(Problem.from_json({k: v for k, v in doc.items() if k != "previous"}), mode)
    # The contract: every need's share is the tiers' share, to the unit.
    assert result.met.tolist() == fresh.met.tolist()
    assert result.fraction.tolist() == fresh.fraction.tolist()
    most, least = oracle(doc, result.met)
    kept = kept_by(result, doc)
    assert kept == pytest.approx(most, abs=1e-5 * (1 + len(doc["previous"])))
    assert result.summary["previous"]["kept_quantity"] == pytest.approx(kept, abs=1e-5)
    moved = float(np.sum(result.alloc_quantity))
    assert least - 1e-6 <= result.summary["distance_km"] <= least + 0.001 * moved + 1e-6


@COMMON
@given(with_previous())
def test_a_replan_keeps_the_most_of_the_previous_plan_then_the_least_distance(doc):
    _check(doc)


@COMMON
@given(with_previous(stepped_problems))
def test_whole_steps_keep_the_most_of_the_previous_plan_in_whole_steps(doc):
    _check(doc)
    result = plan(Problem.from_json(doc))
    steps = {r["id"]: r.get("step") for r in doc["resources"]}
    needs = {n["id"]: n for n in doc["needs"]}
    for a in result.allocations:
        step = steps[needs[a.need]["resource"]]
        if step:
            assert abs(a.quantity / step - round(a.quantity / step)) < 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_previous())
def test_the_sparse_core_priced_out_keeps_the_most_then_the_least_distance(doc):
    _check(doc, mode="sparse")


@pytest.mark.parametrize("seed", [1, 3])
def test_the_sparse_core_keeps_what_the_full_planner_keeps_on_a_city(seed):
    p = city_problem(800, seed=seed)
    doc = p.to_json()
    doc["previous"] = [{"offer": a.offer, "need": a.need, "quantity": a.quantity} for a in plan(p).allocations]
    for k, need in enumerate(doc["needs"]):
        if k % 7 == 0:
            need["quantity"] *= 1.5  # shares move
    q = Problem.from_json(doc)
    full, sparse = plan(q, mode="full"), sparse_plan(q, k=1)
    assert sparse.met.tolist() == full.met.tolist()
    assert sparse.summary["previous"]["kept_quantity"] == pytest.approx(full.summary["previous"]["kept_quantity"])
    moved = float(np.sum(full.alloc_quantity))
    assert abs(sparse.summary["distance_km"] - full.summary["distance_km"]) <= 0.001 * moved
    assert sparse.summary["sparse_core"]["keep_rounds"] >= 1


def test_a_replan_with_nothing_changed_keeps_every_allocation():
    p = city_problem(400, seed=5)
    first = plan(p)
    doc = p.to_json()
    doc["previous"] = [{"offer": a.offer, "need": a.need, "quantity": a.quantity} for a in first.allocations]
    again = plan(Problem.from_json(doc))
    assert [(a.offer, a.need, a.quantity) for a in again.allocations] == [
        (a.offer, a.need, a.quantity) for a in first.allocations]
    prev = again.summary["previous"]
    assert prev["given"] == prev["matched"] == prev["kept"] == prev["unchanged"] == len(first.allocations)
    assert prev["kept_quantity"] == pytest.approx(prev["quantity"])


def test_a_previous_plan_far_from_the_least_distance_is_kept_when_the_shares_allow_it():
    doc = {"version": 1, "resources": [{"id": "rice", "unit": "kg", "basic": True}],
           "places": [{"id": "a", "lat": 34.0, "lon": -118.0}, {"id": "b", "lat": 34.05, "lon": -118.0}],
           "needs": [{"id": "n1", "resource": "rice", "quantity": 4, "place": "a"}],
           "offers": [{"id": "near", "resources": ["rice"], "quantity": 10, "place": "a"},
                      {"id": "far", "resources": ["rice"], "quantity": 10, "place": "b"}],
           "previous": [{"offer": "far", "need": "n1", "quantity": 3}]}
    result = plan(Problem.from_json(doc))
    got = {(a.offer, a.need): a.quantity for a in result.allocations}
    assert got == {("far", "n1"): 3.0, ("near", "n1"): 1.0}
    assert result.summary["previous"]["unchanged"] == 1


def test_previous_allocations_round_trip_and_a_problem_without_them_writes_none():
    doc = {"version": 1, "resources": [{"id": "r", "unit": "kg"}], "places": [{"id": "a", "lat": 0, "lon": 0}],
           "needs": [{"id": "n", "resource": "r", "quantity": 1, "place": "a"}],
           "offers": [{"id": "o", "resources": ["r"], "quantity": 1, "place": "a"}],
           "previous": [{"offer": "o", "need": "n", "quantity": 1.0}]}
    assert Problem.from_json(doc).to_json()["previous"] == doc["previous"]
    assert "previous" not in Problem.from_json({k: v for k, v in doc.items() if k != "previous"}).to_json()
    assert "previous" not in plan(Problem.from_json({k: v for k, v in doc.items() if k != "previous"})).summary


@pytest.mark.parametrize("previous, says", [
    ({"offer": "o", "need": "n"}, "previous[0]: missing field 'quantity'"),
    ({"offer": "o", "need": "n", "quantity": -1}, "previous[0]: 'quantity' must not be negative"),
    ({"offer": 3, "need": "n", "quantity": 1}, "previous[0]: 'offer' must be a non-empty string"),
    ("o->n", "previous[0]: must be an object"),
])
def test_a_wrong_previous_allocation_is_refused_naming_it(previous, says):
    with pytest.raises(ProblemError, match=says.replace("[", r"\[").replace("]", r"\]")):
        Problem.from_json({"version": 1, "previous": [previous]})


def test_the_command_reads_previous_allocations_and_says_how_much_it_kept(tmp_path, capsys):
    p = city_problem(200, seed=3)
    doc = p.to_json()
    doc["previous"] = [{"offer": a.offer, "need": a.need, "quantity": a.quantity} for a in plan(p).allocations]
    src = tmp_path / "problem.json"
    src.write_text(json.dumps(doc))
    assert main([str(src), "-o", str(tmp_path / "plan.json")]) == 0
    out = capsys.readouterr().out
    n = len(doc["previous"])
    assert f"previous plan: kept {n} of {n} allocations ({n} unchanged)" in out
    written = json.loads((tmp_path / "plan.json").read_text())
    assert written["summary"]["previous"]["kept"] == n


def test_the_sparse_core_with_nothing_changed_keeps_every_allocation_and_every_share():
    p = city_problem(1500, seed=7)
    first = plan(p, mode="full")
    doc = p.to_json()
    doc["previous"] = [{"offer": a.offer, "need": a.need, "quantity": a.quantity} for a in first.allocations]
    again = plan(Problem.from_json(doc), mode="sparse")
    assert again.met.tolist() == first.met.tolist()
    prev = again.summary["previous"]
    assert prev["kept"] == prev["unchanged"] == len(first.allocations)
    assert "sparse_core" in again.summary
