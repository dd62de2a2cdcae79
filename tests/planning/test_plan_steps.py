"""Whole steps: what the plan gives of a resource with a step is a whole number of steps.

The definition (docs/planning-formats.md), tier by tier: the exact leximin
shares of the tier given the earlier tiers' amounts; each need of a resource
with a step gets its share rounded down or up to a whole step; of those
roundings that a flow can deliver, the leximin-largest. It is checked here
against an independent reference: staged linear programs for the exact shares,
then a sequence of integer programs (HiGHS through scipy's ``milp``) for the
leximin-largest rounding, given the planner's own earlier tiers.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from sinfronteras.planning import Problem, ProblemError, plan

R_KM = 6371.0088
EPS = 1e-7


def _km(p, q) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (p["lat"], p["lon"], q["lat"], q["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R_KM * math.asin(min(1.0, math.sqrt(h)))


class Net:
    """Flows on every pair (offer, need) that may be served, found by brute force."""

    def __init__(self, doc: dict) -> None:
        places = {p["id"]: p for p in doc["places"]}
        self.arcs = []
        for j, o in enumerate(doc["offers"]):
            for i, n in enumerate(doc["needs"]):
                if n["resource"] in o["resources"]:
                    d = 0.0 if o["place"] == n["place"] else _km(places[o["place"]], places[n["place"]])
                    if o.get("radius_km") is None or d <= o["radius_km"]:
                        self.arcs.append((j, i))
        self.q = np.array([n["quantity"] for n in doc["needs"]], float)
        self.s = np.array([o["quantity"] for o in doc["offers"]], float)
        self.m = len(self.arcs)
        self.into = np.zeros((len(self.q), self.m))
        self.out = np.zeros((len(self.s), self.m))
        for a, (j, i) in enumerate(self.arcs):
            self.into[i, a] = 1.0
            self.out[j, a] = 1.0
        basic = {r["id"]: r.get("basic", False) for r in doc["resources"]}
        step = {r["id"]: r.get("step") for r in doc["resources"]}
        self.tier = [(1 if n.get("urgent") else 2) if basic[n["resource"]] else (3 if n.get("urgent") else 4)
                     for n in doc["needs"]]
        self.step = [step[n["resource"]] for n in doc["needs"]]

    def rows(self, lower: dict[int, float], extra: int = 0):
        """Supply, met <= q, and met_i >= lower_i, for variables (flows, extra)."""
        pad = lambda k: np.zeros((k, extra))  # noqa: E731
        a = [np.hstack([self.out, pad(len(self.s))]), np.hstack([self.into, pad(len(self.q))])]
        b = [self.s + 1e-9, self.q + 1e-9]
        for i, v in lower.items():
            a.append(-np.concatenate([self.into[i], np.zeros(extra)])[None, :])
            b.append(np.array([-(v - 1e-9)]))
        return np.vstack(a), np.concatenate(b)

    def max_min(self, free: list[int], lower: dict[int, float]) -> float:
        a, b = self.rows(lower, 1)
        extra = [np.concatenate([-self.into[i], [self.q[i]]]) for i in free]
        a = np.vstack([a, *[e[None, :] for e in extra]])
        b = np.concatenate([b, np.zeros(len(free))])
        c = np.concatenate([np.zeros(self.m), [-1.0]])
        r = linprog(c, A_ub=a, b_ub=b, bounds=[(0, None)] * self.m + [(0, 1)], method="highs")
        assert r.status == 0, r.message
        return -r.fun

    def max_met(self, i: int, lower: dict[int, float]) -> float:
        a, b = self.rows({k: v for k, v in lower.items() if k != i})
        r = linprog(-self.into[i], A_ub=a, b_ub=b, bounds=[(0, None)] * self.m, method="highs")
        assert r.status == 0, r.message
        return -r.fun


def exact_shares(net: Net, tier: int, fixed: dict[int, float]) -> dict[int, float]:
    """The tier's continuous leximin shares given ``fixed``, by the textbook staged LP."""
    reach = {i for _, i in net.arcs}
    free = [i for i in range(len(net.q)) if net.tier[i] == tier and i in reach]
    lower = dict(fixed)
    share = {i: 0.0 for i in range(len(net.q)) if net.tier[i] == tier}
    while free:
        level = net.max_min(free, lower)
        trial = {**lower, **{i: level * net.q[i] for i in free}}
        stuck = [i for i in free if net.max_met(i, trial) <= level * net.q[i] + 1e-7]
        assert stuck
        for i in stuck:
            lower[i] = share[i] = level * net.q[i]
        free = [i for i in free if i not in stuck]
    return share


def reference_tier(doc: dict, tier: int, fixed: dict[int, float]) -> list[float]:
    """Sorted fulfilled fractions of the tier by the definition, given the earlier tiers' ``fixed``."""
    net = Net(doc)
    share = exact_shares(net, tier, fixed)
    base, cand = {}, []
    for i, x in share.items():
        step = net.step[i]
        if step is None:
            base[i] = x
            continue
        k = x / step
        lo, hi = math.floor(k + EPS), math.ceil(k - EPS)
        base[i] = lo * step
        if hi > lo:
            cand.append(i)
    # Variables: flows, then one binary per candidate (one step more).
    nv = net.m + len(cand)
    a, b = net.rows({**fixed, **{i: v for i, v in base.items() if i not in cand}}, len(cand))
    cons = [LinearConstraint(a, -np.inf, b)]
    for k, i in enumerate(cand):
        row = np.concatenate([net.into[i], np.zeros(len(cand))])
        row[net.m + k] = -net.step[i]
        cons.append(LinearConstraint(row[None, :], base[i] - 1e-9, base[i] + 1e-9))
    integrality = np.concatenate([np.zeros(net.m), np.ones(len(cand))])
    bounds = Bounds(np.zeros(nv), np.concatenate([np.full(net.m, np.inf), np.ones(len(cand))]))
    low = {i: base[i] / net.q[i] for i in cand}
    high = {i: (base[i] + net.step[i]) / net.q[i] for i in cand}
    # Leximin, level by level: at each value v, the fewest needs at or below v.
    for v in sorted(set(low.values()) | set(high.values())):
        lift = [k for k, i in enumerate(cand) if low[i] <= v + 1e-12 < high[i]]
        if not lift:
            continue
        c = np.zeros(nv)
        c[[net.m + k for k in lift]] = -1.0
        r = milp(c, constraints=cons, integrality=integrality, bounds=bounds)
        assert r.status == 0, r.message
        cons.append(LinearConstraint(-c[None, :], -r.fun - 0.5, np.inf))
    met = dict(base)
    if not cand:
        return sorted(met[i] / net.q[i] for i in met)
    r = milp(np.zeros(nv), constraints=cons, integrality=integrality, bounds=bounds)
    assert r.status == 0, r.message
    for k, i in enumerate(cand):
        met[i] += round(r.x[net.m + k]) * net.step[i]
    return sorted(met[i] / net.q[i] for i in met)


STEPS = [None, 1, 1, 0.5, 0.1, 2]


@st.composite
def stepped_problems(draw) -> dict:
    n_res = draw(st.integers(1, 3))
    resources = []
    for k in range(n_res):
        r = {"id": f"r{k}", "unit": draw(st.sampled_from(["packs", "h"])), "basic": draw(st.booleans())}
        step = draw(st.sampled_from(STEPS))
        if step is not None:
            r["step"] = step
        resources.append(r)
    coord = st.floats(-0.2, 0.2, allow_nan=False).map(lambda x: round(x, 4))
    n_pl = draw(st.integers(1, 4))
    places = [{"id": f"p{k}", "lat": 34 + draw(coord), "lon": -118 + draw(coord)} for k in range(n_pl)]

    def qty(r: dict):
        step = r.get("step")
        if step is None:
            return draw(st.one_of(st.integers(1, 9), st.sampled_from([0.5, 1.5, 2.25, 7.75])))
        return round(draw(st.integers(1, 9)) * step, 6)

    needs = []
    for i in range(draw(st.integers(0, 8))):
        r = resources[draw(st.integers(0, n_res - 1))]
        needs.append({"id": f"n{i}", "resource": r["id"], "quantity": qty(r),
                      "place": f"p{draw(st.integers(0, n_pl - 1))}", "urgent": draw(st.booleans())})
    offers = []
    for j in range(draw(st.integers(0, 5))):
        first = resources[draw(st.integers(0, n_res - 1))]
        same = [r["id"] for r in resources if r["unit"] == first["unit"] and r.get("step") == first.get("step")]
        res = sorted({first["id"], *draw(st.lists(st.sampled_from(same), max_size=2))})
        offer = {"id": f"o{j}", "resources": res, "quantity": qty(first),
                 "place": f"p{draw(st.integers(0, n_pl - 1))}"}
        radius = draw(st.one_of(st.none(), st.sampled_from([0, 5, 15, 30])))
        if radius is not None:
            offer["radius_km"] = radius
        offers.append(offer)
    return {"version": 1, "resources": resources, "places": places, "needs": needs, "offers": offers}


COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _whole(x: float, step: float) -> bool:
    return abs(x / step - round(x / step)) < 1e-9


@COMMON
@given(stepped_problems())
def test_every_tier_is_the_leximin_largest_rounding_of_its_exact_shares(doc):
    result = plan(Problem.from_json(doc))
    net = Net(doc)
    for t in (1, 2, 3, 4):
        mine = sorted(float(result.fraction[i]) for i in range(len(net.q)) if net.tier[i] == t)
        if not mine:
            continue
        fixed = {i: float(result.met[i]) for i in range(len(net.q)) if net.tier[i] < t}
        # Shares of resources without a step are within the quantity resolution (see test_plan_properties).
        assert np.allclose(mine, reference_tier(doc, t, fixed), atol=1e-5), (t, mine)


@COMMON
@given(stepped_problems())
def test_every_amount_of_a_resource_with_a_step_is_whole_and_the_plan_is_feasible(doc):
    result = plan(Problem.from_json(doc))
    net = Net(doc)
    step = {r["id"]: r.get("step") for r in doc["resources"]}
    for n, met in zip(doc["needs"], result.met):
        if step[n["resource"]] is not None:
            assert _whole(float(met), step[n["resource"]]), (n, met)
    sent, got, parts = np.zeros(len(net.s)), np.zeros(len(net.q)), np.zeros(len(net.q))
    for a in result.to_json()["allocations"]:
        j, i = int(a["offer"][1:]), int(a["need"][1:])
        assert (j, i) in net.arcs
        s = step[doc["needs"][i]["resource"]]
        if s is not None:
            assert _whole(a["quantity"], s), a
        sent[j] += a["quantity"]
        got[i] += a["quantity"]
        parts[i] += 1
    assert np.all(sent <= net.s + 1e-9) and np.all(got <= net.q + 1e-9)
    # The plan document writes each allocation to 6 decimals: a need's parts add up to its
    # met within half a millionth per part.
    assert np.all(np.abs(got - result.met) <= 5e-7 * parts + 1e-9)


@COMMON
@given(stepped_problems())
def test_the_same_problem_gives_the_same_plan_byte_for_byte(doc):
    assert plan(Problem.from_json(doc)).dumps() == plan(Problem.from_json(doc)).dumps()


def _packs(needs: list[float], offers: list[float], step: float = 1, urgent=()) -> Problem:
    return Problem.from_json({
        "version": 1,
        "resources": [{"id": "diapers", "unit": "packs", "basic": True, "step": step}],
        "places": [{"id": "bh", "lat": 34.03, "lon": -118.2}],
        "needs": [{"id": f"n{k}", "resource": "diapers", "quantity": q, "place": "bh", "urgent": k in urgent}
                  for k, q in enumerate(needs)],
        "offers": [{"id": f"o{k}", "resources": ["diapers"], "quantity": q, "place": "bh"}
                   for k, q in enumerate(offers)],
    })


def _met(p) -> list[float]:
    return [n.met for n in p.need_results]


def test_three_packs_for_two_needs_of_two_give_two_and_one_not_one_and_a_half():
    result = plan(_packs([2, 2], [3]))
    assert _met(result) == [2.0, 1.0]
    assert sorted(a.quantity for a in result.allocations) == [1.0, 2.0]


def test_the_spare_step_goes_to_the_lowest_share():
    # Shares 4/9 of each: 0.44, 1.33, 2.22 packs; floors 0, 1, 2 leave one pack
    # for the need whose rounded-down fraction is lowest (0 of 1).
    assert _met(plan(_packs([1, 3, 5], [4]))) == [1.0, 1.0, 2.0]


def test_a_share_that_is_already_whole_is_kept_whole():
    # 8 packs for 10 + 3 + 3 at one half: 5 is whole, 1.5 and 1.5 become 2 and 1.
    assert _met(plan(_packs([10, 3, 3], [8]))) == [5.0, 2.0, 1.0]


def test_steps_of_a_tenth_of_a_kilo_stay_whole():
    result = plan(_packs([0.3, 0.5], [0.5], step=0.1))
    assert _met(result) == [0.2, 0.3]
    assert [a.quantity for a in result.allocations] == [0.2, 0.3]


def test_an_earlier_tier_is_rounded_before_the_next_tier_is_planned():
    # The urgent needs share 3 packs as 2 and 1; nothing is left for the third.
    assert _met(plan(_packs([2, 2, 4], [3], urgent=(0, 1)))) == [2.0, 1.0, 0.0]
    assert _met(plan(_packs([2, 2, 4], [5], urgent=(0, 1)))) == [2.0, 2.0, 1.0]


def test_a_problem_without_steps_is_planned_as_before():
    doc = _packs([2, 2], [3]).to_json()
    del doc["resources"][0]["step"]
    result = plan(Problem.from_json(doc))
    assert _met(result) == [1.5, 1.5]
    assert "roundings" not in result.summary


def test_a_need_that_is_not_a_whole_number_of_steps_is_refused_naming_it():
    doc = _packs([2, 2], [3]).to_json()
    doc["needs"][1]["quantity"] = 1.5
    with pytest.raises(ProblemError) as err:
        Problem.from_json(doc)
    assert str(err.value) == 'needs[1] (id "n1"): \'quantity\' must be a whole number of steps of 1 packs, got 1.5'


def test_an_offer_that_is_not_a_whole_number_of_steps_is_refused_naming_it():
    doc = _packs([2], [3], step=0.5).to_json()
    doc["offers"][0]["quantity"] = 1.2
    with pytest.raises(ProblemError, match=r'^offers\[0\] \(id "o0"\): .*steps of 0.5 packs, got 1.2$'):
        Problem.from_json(doc)


def test_an_offer_mixing_resources_of_different_steps_is_refused():
    doc = _packs([2], [3]).to_json()
    doc["resources"].append({"id": "wipes", "unit": "packs", "basic": True})
    doc["offers"][0]["resources"] = ["diapers", "wipes"]
    with pytest.raises(ProblemError, match=r"offers\[0\] .*must share one step, got none, 1$"):
        Problem.from_json(doc)


@pytest.mark.parametrize("step", [0, -1, "1", True])
def test_a_step_that_is_not_a_positive_number_is_refused(step):
    doc = _packs([2], [3]).to_json()
    doc["resources"][0]["step"] = step
    with pytest.raises(ProblemError, match=r'^resources\[0\] \(id "diapers"\): \'step\' must'):
        Problem.from_json(doc)


def test_the_step_survives_writing_the_problem_back():
    doc = _packs([2], [3], step=0.5).to_json()
    assert doc["resources"][0]["step"] == 0.5
    assert Problem.from_json(doc).to_json() == doc


def test_a_city_with_steps_gives_whole_amounts_and_feasible_flows():
    from sinfronteras.planning.generate import city_problem

    doc = city_problem(300, seed=5, supply_ratio=0.5, radii_km=(1.0, 2.0, 4.0), n_resources=3).to_json()
    for r in doc["resources"]:
        r["step"] = 1
    for entry in doc["needs"] + doc["offers"]:
        entry["quantity"] = float(max(1, round(entry["quantity"])))
    result = plan(Problem.from_json(doc))
    assert all(float(m).is_integer() for m in result.met)
    assert all(float(a["quantity"]).is_integer() for a in result.to_json()["allocations"])
    assert result.summary["roundings"] >= 1
    net_sent: dict[str, float] = {}
    for a in result.allocations:
        net_sent[a.offer] = net_sent.get(a.offer, 0.0) + a.quantity
    assert all(net_sent[o["id"]] <= o["quantity"] + 1e-9 for o in doc["offers"] if o["id"] in net_sent)
    assert plan(Problem.from_json(doc)).dumps() == result.dumps()


def test_the_command_refuses_a_fraction_of_a_pack_with_one_line_and_exit_2(tmp_path, capsys):
    from sinfronteras.planning.cli import main

    doc = _packs([2], [3]).to_json()
    doc["needs"][0]["quantity"] = 1.3
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(doc))
    assert main([str(path), "-o", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and 'needs[0] (id "n0")' in err and "whole number of steps of 1" in err
    assert not (tmp_path / "plan.json").exists()
