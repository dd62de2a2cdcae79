"""The federation's contract: planning the union of digests is planning the union of people.

Several random collectives each make a digest of their own needs and offers;
the union of the digests is planned, certified and verified, and each
collective shares out its part. Every individual need's share must then be what
one run of the planner gives over the union of all the collectives' individual
needs and offers, and what an independent staged linear program (scipy's
HiGHS) gives; with a step, the share rounded down or up to a whole step. The
total distance is the least for what is met.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_plan_properties import LP, staged_leximin

from sinfronteras.planning import Problem, plan
from sinfronteras.planning.federation import (
    bounds_check,
    certificate,
    digest,
    digest_hash,
    union_problem,
    verify,
)
from sinfronteras.planning.shareout import share_out

RICE = "http://www.wikidata.org/entity/Q5090"
DIAPERS = "http://www.wikidata.org/entity/Q180970"
TOL = 1e-5


@st.composite
def collective(draw, slug: str) -> dict:
    """One collective's own problem document: rice (shared, or in pounds: local), diapers in packs, beans (local)."""
    pounds = draw(st.integers(0, 5)) == 0
    rice = {"id": draw(st.sampled_from(["rice", "arroz"])), "unit": "lb" if pounds else "kg",
            "basic": draw(st.booleans()), "uri": RICE}
    diapers = {"id": "diapers", "unit": "pack", "basic": True, "step": 1, "uri": DIAPERS}
    beans = {"id": "beans", "unit": rice["unit"], "basic": draw(st.booleans())}
    resources = [rice, diapers, beans]
    coord = st.floats(-0.15, 0.15, allow_nan=False).map(lambda x: round(x, 4))
    places = [{"id": f"a{k}", "lat": 34 + draw(coord), "lon": -118 + draw(coord)} for k in range(draw(st.integers(1, 3)))]
    loose = st.one_of(st.integers(1, 12), st.sampled_from([0.5, 1.5, 2.25, 7.75]))

    def qty(res):
        return draw(st.integers(1, 6)) if res is diapers else draw(loose)

    needs = []
    for i in range(draw(st.integers(0, 6))):
        res = draw(st.sampled_from(resources))
        needs.append({"id": f"n{i}", "resource": res["id"], "quantity": qty(res),
                      "place": draw(st.sampled_from(places))["id"], "urgent": draw(st.booleans())})
    offers = []
    for j in range(draw(st.integers(0, 4))):
        res = draw(st.sampled_from(resources))
        kinds = [res["id"]]
        if res is not diapers and draw(st.booleans()):
            kinds = [rice["id"], beans["id"]]
        offer = {"id": f"o{j}", "resources": kinds, "quantity": qty(res), "place": draw(st.sampled_from(places))["id"]}
        radius = draw(st.sampled_from([None, 5, 15, 30]))
        if radius is not None:
            offer["radius_km"] = radius
        offers.append(offer)
    return {"version": 1, "resources": resources, "places": places, "needs": needs, "offers": offers}


@st.composite
def federations(draw) -> dict[str, dict]:
    n = draw(st.integers(2, 3))
    return {f"c{k}": draw(collective(f"c{k}")) for k in range(n)}


def individual_union(docs: dict[str, dict]) -> dict:
    """Every collective's individual needs and offers in one problem document, written independently.

    A resource is a kind (its uri, unit and step; or the collective's own) and
    whether it is basic, so that each need keeps its collective's tier; an
    offer lists every basic-or-not variant of its kinds.
    """
    def kind(c, r):
        return f"{r['uri']}|{r['unit']}|{r.get('step')}" if r.get("uri") else f"{c}|{r['id']}"

    variants, resources, places, needs, offers = {}, {}, [], [], []
    for c, doc in docs.items():
        res = {r["id"]: r for r in doc["resources"]}
        for p in doc["places"]:
            places.append({**p, "id": f"{c}/{p['id']}"})
        for n in doc["needs"]:
            r = res[n["resource"]]
            rid = f"{kind(c, r)}|{r['basic']}"
            variants.setdefault(kind(c, r), set()).add(rid)
            resources[rid] = {"id": rid, "unit": r["unit"], "basic": r["basic"], **({"step": r["step"]} if r.get("step") else {})}
            needs.append({**n, "id": f"{c}/{n['id']}", "resource": rid, "place": f"{c}/{n['place']}"})
    for c, doc in docs.items():
        res = {r["id"]: r for r in doc["resources"]}
        for o in doc["offers"]:
            kinds = sorted({v for r in o["resources"] for v in variants.get(kind(c, res[r]), ())})
            if kinds:
                offers.append({**o, "id": f"{c}/{o['id']}", "resources": kinds, "place": f"{c}/{o['place']}"})
    return {"version": 1, "resources": list(resources.values()), "places": places, "needs": needs, "offers": offers}


def _km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def federated_round(docs: dict[str, dict]):
    problems = {c: Problem.from_json(doc) for c, doc in docs.items()}
    digests = [digest(p, c) for c, p in problems.items()]
    union = union_problem(list(reversed(digests)))
    result = plan(union)
    return problems, digests, union, result, {c: share_out(p, result, c) for c, p in problems.items()}


COMMON = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(federations())
def test_every_individual_share_equals_one_plan_over_the_union_of_all_people(docs):
    problems, digests, union, result, shares = federated_round(docs)
    for d in digests:
        assert bounds_check(d, members=10) == []
    assert verify(union, result, certificate(union, result)) == []
    whole = individual_union(docs)
    one_run = plan(Problem.from_json(whole))
    exact = staged_leximin(whole)
    ids = [n["id"] for n in whole["needs"]]
    steps = {r["id"]: r.get("step") for r in whole["resources"]}
    for c, share in shares.items():
        for n, got in zip(problems[c].needs, share.plan.need_results):
            k = ids.index(f"{c}/{n.id}")
            step = steps[whole["needs"][k]["resource"]]
            if step is None:
                assert abs(got.met - one_run.met[k]) <= TOL * max(1.0, n.quantity), (c, n.id, got.met, one_run.met[k])
                assert abs(got.fraction - exact[k]) <= TOL, (c, n.id, got.fraction, exact[k])
            else:  # the exact share, to a whole step down or up
                e = exact[k] * n.quantity / step
                assert math.floor(e - TOL) * step - TOL <= got.met <= math.ceil(e + TOL) * step + TOL, (c, n.id, got.met, e)
                assert abs(got.met / step - round(got.met / step)) < 1e-9


@settings(COMMON, max_examples=25)
@given(federations())
def test_what_the_collectives_share_out_is_feasible_and_travels_least(docs):
    problems, _, union, result, shares = federated_round(docs)
    places = {f"{c}/{p['id']}": p for c, doc in docs.items() for p in doc["places"]}
    given_by, got_by, crossing = {}, {}, {}
    total_km = 0.0
    for c, share in shares.items():
        doc = docs[c]
        for a, km in zip(share.plan.allocations, share.plan.alloc_km):
            o = next(x for x in doc["offers"] if x["id"] == a.offer)
            n = next(x for x in doc["needs"] if x["id"] == a.need)
            assert n["resource"] in o["resources"]
            d = _km(places[f"{c}/{o['place']}"], places[f"{c}/{n['place']}"])
            assert d <= o.get("radius_km", math.inf) + 1e-9
            given_by[(c, a.offer)] = given_by.get((c, a.offer), 0) + a.quantity
            got_by[(c, a.need)] = got_by.get((c, a.need), 0) + a.quantity
            total_km += a.quantity * d
        for t in share.transfers:
            side = "offers" if t.giver == c else "needs"
            assert abs(sum(x for _, x in t.parts) - t.quantity) <= 1e-6 * (1 + len(t.parts))
            book = given_by if side == "offers" else got_by
            for local_id, x in t.parts:
                book[(c, local_id)] = book.get((c, local_id), 0) + x
            crossing.setdefault((t.offer, t.need), []).append(t.quantity)
            if t.giver == c:
                total_km += t.quantity * t.km
    assert all(len(v) == 2 and abs(v[0] - v[1]) < 1e-9 for v in crossing.values()), "both sides see each transfer"
    for c, doc in docs.items():
        for o in doc["offers"]:
            assert given_by.get((c, o["id"]), 0) <= o["quantity"] + 1e-6
        for n, got in zip(doc["needs"], shares[c].plan.need_results):
            assert abs(got_by.get((c, n["id"]), 0) - got.met) <= 1e-5
    # The least distance over every individual arc, for what the shares meet (an LP).
    whole = individual_union(docs)
    lp = LP(whole)
    met = {f"{c}/{r.id}": r.met for c, s in shares.items() for r in s.plan.need_results}
    if lp.m:
        rows, rhs = lp.floors({i: met[n["id"]] for i, n in enumerate(whole["needs"])})
        best = lp.solve(lp.km, rows, rhs).fun
    else:
        best = 0.0
    moved = sum(met.values())
    # Shares are counted in millionths of a unit: a need may be a millionth below its LP share.
    assert best - 1e-5 * (1 + best) <= total_km <= best + 0.001 * moved + 1e-6
    assert abs(total_km - result.summary["distance_km"]) <= 1e-5 * (1 + total_km)


@COMMON
@given(federations())
def test_the_union_is_the_same_whatever_order_the_digests_arrive_in(docs):
    digests = [digest(Problem.from_json(doc), c) for c, doc in docs.items()]
    forward, backward = union_problem(digests), union_problem(digests[::-1])
    assert forward.to_json() == backward.to_json()
    assert [digest_hash(d) for d in digests] == [digest_hash(digest(Problem.from_json(doc), c)) for c, doc in docs.items()]
