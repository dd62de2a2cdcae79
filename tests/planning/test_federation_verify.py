"""The certificate a round's plan travels with, and what a verifying peer refuses.

A peer applies a plan only if :func:`verify` finds nothing wrong with it
against the union it built itself from the signed digests. Plans here are
altered the way a faulty or dishonest planner would: feasible but unfair, of
needlessly long trips, inventing a need or an offer, over an offer.
"""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import HealthCheck, given, settings
from test_plan_properties import problems
from test_plan_steps import stepped_problems

from sinfronteras.planning import Problem, plan
from sinfronteras.planning.fedcert import CertificateError, certificate, verify
from sinfronteras.planning.federation import DigestError, DigestLimits, bounds_check, check_digest, digest, digest_hash

COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def two_needs_one_offer() -> Problem:
    return Problem.from_json({"version": 1,
        "resources": [{"id": "rice", "unit": "kg", "basic": True}, {"id": "books", "unit": "kg"}],
        "places": [{"id": "a", "lat": 34.03, "lon": -118.20}, {"id": "b", "lat": 34.05, "lon": -118.25},
                   {"id": "c", "lat": 34.20, "lon": -118.40}],
        "needs": [{"id": "n1", "resource": "rice", "quantity": 6, "place": "a"},
                  {"id": "n2", "resource": "rice", "quantity": 6, "place": "b"},
                  {"id": "n3", "resource": "books", "quantity": 2, "place": "a"}],
        "offers": [{"id": "o1", "resources": ["rice"], "quantity": 8, "place": "a", "radius_km": 10},
                   {"id": "o2", "resources": ["rice", "books"], "quantity": 4, "place": "c"}]})


def _set(doc: dict, allocations: list[tuple[str, str, float]]) -> dict:
    doc = copy.deepcopy(doc)
    doc["allocations"] = [{"offer": o, "need": n, "quantity": x} for o, n, x in allocations]
    met = {}
    for _, n, x in allocations:
        met[n] = met.get(n, 0.0) + x
    for row in doc["needs"]:
        row["met"] = met.get(row["id"], 0.0)
    return doc


@COMMON
@given(problems())
def test_every_plan_of_the_planner_is_verified_by_its_certificate(doc):
    p = Problem.from_json(doc)
    result = plan(p)
    assert verify(p, result, certificate(p, result)) == []
    assert verify(p, result.to_json(), certificate(p, result.to_json())) == []


@COMMON
@given(problems())
def test_a_plan_that_gives_a_need_less_than_it_could_get_is_refused(doc):
    p = Problem.from_json(doc)
    good = plan(p).to_json()
    for k, row in enumerate(good["allocations"]):
        if row["quantity"] < 0.01:
            continue
        bad = copy.deepcopy(good)
        cut = row["quantity"] / 2
        bad["allocations"][k]["quantity"] = row["quantity"] - cut
        need = next(n for n in bad["needs"] if n["id"] == row["need"])
        need["met"] = round(need["met"] - cut, 6)
        assert verify(p, bad, certificate(p, good)), "the honest certificate does not cover a worse plan"
        assert verify(p, bad, certificate(p, bad)), "no certificate makes a worse plan pass"


@COMMON
@given(stepped_problems())
def test_in_whole_steps_a_plan_is_verified_and_one_step_less_to_any_need_is_refused(doc):
    p = Problem.from_json(doc)
    good = plan(p)
    assert verify(p, good, certificate(p, good)) == []
    steps = {r.id: r.step for r in p.resources}
    need_of = {n.id: n for n in p.needs}
    for k, row in enumerate(good.to_json()["allocations"]):
        step = steps[need_of[row["need"]].resource] or row["quantity"] / 2
        if row["quantity"] < step:
            continue
        bad = copy.deepcopy(good.to_json())
        bad["allocations"][k]["quantity"] = round(row["quantity"] - step, 6)
        if bad["allocations"][k]["quantity"] <= 0:
            bad["allocations"].pop(k)
        need = next(n for n in bad["needs"] if n["id"] == row["need"])
        need["met"] = round(need["met"] - step, 6)
        assert verify(p, bad, certificate(p, bad)), "a plan one step short was verified"


def two_needs_of_packs(quantities=(2, 2), offered=2) -> Problem:
    return Problem.from_json({"version": 1, "resources": [{"id": "diapers", "unit": "packs", "step": 1}],
                              "places": [{"id": "a", "lat": 34.0, "lon": -118.0}],
                              "needs": [{"id": f"n{k + 1}", "resource": "diapers", "quantity": q, "place": "a"}
                                        for k, q in enumerate(quantities)],
                              "offers": [{"id": "o1", "resources": ["diapers"], "quantity": offered,
                                          "place": "a"}]})


def test_a_plan_that_gives_a_stepped_need_one_whole_step_less_than_it_could_get_is_refused():
    # Two packs for two needs of two: one each. Giving both to n2 leaves n1 a whole step short
    # of its share (nothing is left over: only the exact share shows it).
    p = two_needs_of_packs()
    good = plan(p)
    assert [n.met for n in good.need_results] == [1.0, 1.0]
    assert verify(p, good, certificate(p, good)) == []
    short = _set(good.to_json(), [("o1", "n2", 2.0)])
    reasons = verify(p, short, certificate(p, short))
    assert reasons and "could get more" in reasons[0], reasons


def test_a_stepped_need_at_the_floor_or_the_ceiling_of_its_share_is_verified():
    # Three packs for needs of 3 and 1: shares 2.25 and 0.75; the planner's rule gives 2 and 1.
    p = two_needs_of_packs((3, 1), 3)
    good = plan(p)
    assert [n.met for n in good.need_results] == [2.0, 1.0]
    assert verify(p, good, certificate(p, good)) == []


def test_a_plan_one_step_short_of_a_whole_share_is_refused_even_when_another_need_gains_it():
    p = two_needs_of_packs((4, 4, 4), 6)  # two packs each, exactly
    good = plan(p)
    assert [n.met for n in good.need_results] == [2.0, 2.0, 2.0]
    short = _set(good.to_json(), [("o1", "n1", 1.0), ("o1", "n2", 2.0), ("o1", "n3", 3.0)])
    reasons = verify(p, short, certificate(p, short))
    assert reasons and "n1" in reasons[0], reasons


def test_a_plan_that_leaves_a_one_pack_need_without_the_pack_offered_is_refused():
    p = Problem.from_json({"version": 1, "resources": [{"id": "diapers", "unit": "packs", "step": 1}],
                           "places": [{"id": "a", "lat": 34.0, "lon": -118.0}],
                           "needs": [{"id": "n1", "resource": "diapers", "quantity": 1, "place": "a"}],
                           "offers": [{"id": "o1", "resources": ["diapers"], "quantity": 1, "place": "a"}]})
    empty = _set(plan(p).to_json(), [])
    reasons = verify(p, empty, certificate(p, empty))
    assert reasons == ["tier 4: offer o1 has 1 left and reaches a need below its share"]


def test_a_plan_that_favours_one_need_over_an_equal_claim_is_refused():
    p = two_needs_one_offer()
    good = plan(p)
    assert [n.met for n in good.need_results] == [6.0, 6.0, 0.0]
    # Fair: n1 and n2 share the rice; the books nobody needs more than rice.
    skewed = _set(good.to_json(), [("o1", "n1", 6.0), ("o1", "n2", 2.0), ("o2", "n2", 2.0), ("o2", "n3", 2.0)])
    reasons = verify(p, skewed, certificate(p, skewed))
    assert any("tier 4" in r or "tier 2" in r for r in reasons), reasons


def test_a_plan_that_takes_from_a_basic_need_for_a_lesser_one_is_refused():
    p = Problem.from_json({"version": 1,
        "resources": [{"id": "rice", "unit": "kg", "basic": True}, {"id": "books", "unit": "kg"}],
        "places": [{"id": "a", "lat": 34.03, "lon": -118.20}],
        "needs": [{"id": "n1", "resource": "rice", "quantity": 6, "place": "a"},
                  {"id": "n3", "resource": "books", "quantity": 4, "place": "a"}],
        "offers": [{"id": "o2", "resources": ["rice", "books"], "quantity": 6, "place": "a"}]})
    good = plan(p)
    assert verify(p, good, certificate(p, good)) == []
    bad = _set(good.to_json(), [("o2", "n1", 3.0), ("o2", "n3", 3.0)])
    reasons = verify(p, bad, certificate(p, bad))
    assert reasons and "tier 2" in reasons[0] and "n3" in " ".join(reasons), reasons


def test_a_plan_of_needless_trips_is_refused_by_the_potentials():
    p = Problem.from_json({"version": 1, "resources": [{"id": "rice", "unit": "kg"}],
        "places": [{"id": "a", "lat": 34.0, "lon": -118.0}, {"id": "b", "lat": 34.1, "lon": -118.0}],
        "needs": [{"id": "na", "resource": "rice", "quantity": 3, "place": "a"},
                  {"id": "nb", "resource": "rice", "quantity": 3, "place": "b"}],
        "offers": [{"id": "oa", "resources": ["rice"], "quantity": 3, "place": "a"},
                   {"id": "ob", "resources": ["rice"], "quantity": 3, "place": "b"}]})
    good = plan(p)
    assert good.summary["distance_km"] == 0.0
    crossed = _set(good.to_json(), [("oa", "nb", 3.0), ("ob", "na", 3.0)])
    for cert in (certificate(p, good), certificate(p, crossed)):
        reasons = verify(p, crossed, cert)
        assert reasons and ("reduced cost" in reasons[0] or "travels" in reasons[0]), reasons


def test_a_plan_that_invents_a_need_or_an_offer_is_refused():
    p = two_needs_one_offer()
    good = plan(p).to_json()
    invented = copy.deepcopy(good)
    invented["needs"].append({"id": "la:need:99", "met": 1.0, "fraction": 1.0, "tier": 2})
    assert any("la:need:99" in r and "not in the problem" in r for r in verify(p, invented, certificate(p, good)))
    ghost = copy.deepcopy(good)
    ghost["allocations"].append({"offer": "o9", "need": "n3", "quantity": 2.0})
    assert any("'o9' is not in the problem" in r for r in verify(p, ghost, certificate(p, good)))
    dropped = copy.deepcopy(good)
    dropped["needs"] = dropped["needs"][1:]
    assert any("n1" in r and "not in the plan" in r for r in verify(p, dropped, certificate(p, good)))


def test_a_plan_over_an_offers_capacity_is_refused_and_gets_no_certificate():
    p = two_needs_one_offer()
    good = plan(p).to_json()
    over = _set(good, [("o1", "n1", 6.0), ("o1", "n2", 4.0), ("o2", "n2", 2.0), ("o2", "n3", 2.0)])
    reasons = verify(p, over, certificate(p, good))
    assert any("o1 gives 10, more than its 8" in r for r in reasons), reasons
    try:
        certificate(p, over)
    except CertificateError as exc:
        assert "o1" in str(exc)
    else:
        raise AssertionError("a certificate for an infeasible plan")


def test_an_altered_certificate_is_refused():
    p = two_needs_one_offer()
    good = plan(p)
    cert = certificate(p, good)
    tier = next(iter(cert["levels"]))
    need = next(iter(cert["levels"][tier]["needs"]))
    cert["levels"][tier]["needs"][need] = 0.0
    assert verify(p, good, cert)
    assert verify(p, good, {"format": "something else"})


# Digests ---------------------------------------------------------------------------------------


CANARY = "Zyxwv-Canary-Ortega"


def canary_problem() -> Problem:
    return Problem.from_json({"version": 1,
        "resources": [{"id": f"rice-{CANARY}", "unit": "kg", "basic": True, "uri": "http://www.wikidata.org/entity/Q5090"},
                      {"id": f"diapers-{CANARY}", "unit": "pack", "step": 1}],
        "places": [{"id": f"home-of-{CANARY}", "lat": 34.0459, "lon": -118.2470},
                   {"id": f"school-{CANARY}", "lat": 34.0522, "lon": -118.2437}],
        "needs": [{"id": f"need-of-{CANARY}", "resource": f"rice-{CANARY}", "quantity": 2.5,
                   "place": f"home-of-{CANARY}", "urgent": True},
                  {"id": f"need2-of-{CANARY}", "resource": f"rice-{CANARY}", "quantity": 1.5,
                   "place": f"home-of-{CANARY}", "urgent": True},
                  {"id": f"need3-of-{CANARY}", "resource": f"diapers-{CANARY}", "quantity": 3,
                   "place": f"school-{CANARY}"}],
        "offers": [{"id": f"offer-of-{CANARY}", "resources": [f"diapers-{CANARY}"], "quantity": 4,
                    "place": f"school-{CANARY}", "radius_km": 5}]})


def test_a_digest_holds_totals_and_no_id_of_a_person_need_offer_or_place():
    d = digest(canary_problem(), "la")
    text = str(d)
    assert CANARY not in text and "need-of" not in text and "home" not in text
    assert d["needs"] == [{"resource": "r0", "place": "p0", "tier": 1, "steps": 4000},
                          {"resource": "r1", "place": "p1", "tier": 4, "steps": 3}]
    assert d["offers"] == [{"resources": ["r1"], "place": "p1", "radius_km": 5.0, "steps": 4}]
    assert d["resources"][0] == {"id": "r0", "unit": "kg", "step": None, "uri": "http://www.wikidata.org/entity/Q5090"}
    assert bounds_check(d, members=3) == []
    assert len(digest_hash(d)) == 64 and digest_hash(d) == digest_hash(digest(canary_problem(), "la"))


def test_a_digest_over_the_bounds_of_its_collectives_size_is_refused_with_reasons():
    d = digest(canary_problem(), "la")
    small = DigestLimits(needs_per_member=1, offers_per_member=1, max_quantity=2)
    reasons = bounds_check(d, members=1, limits=small)
    assert "2 need totals, more than 1 member(s) could have open" in reasons
    assert any(r.startswith("needs of r0 (kg): 4 kg, more than 1 member(s) could ask for (2 kg)") for r in reasons)
    assert any(r.startswith("offers of r1 (pack): 4 pack") for r in reasons)
    assert bounds_check(d, members=10**9)[0].startswith("a collective of 1000000000 members")
    assert bounds_check(d, members=0) == ["members must be a whole number of at least 1, got 0"]


def test_a_malformed_digest_is_refused_naming_the_entry():
    d = digest(canary_problem(), "la")
    named = copy.deepcopy(d)
    named["needs"][0]["name"] = "Ana"
    assert bounds_check(named) == ["needs[0]: unknown field 'name'"]
    fractional = copy.deepcopy(d)
    fractional["needs"][1]["steps"] = 2.5
    assert bounds_check(fractional) == ["needs[1]: steps must be a positive whole number"]
    far = copy.deepcopy(d)
    far["places"][0]["lat"] = 91
    assert bounds_check(far) == ["places[0]: lat must be within [-90, 90] and lon within [-180, 180]"]
    try:
        check_digest({**d, "collective": "la coop"})
    except DigestError as exc:
        assert "collective" in str(exc)
    else:
        raise AssertionError("a collective that is not a slug")
    assert np.isfinite(d["places"][0]["lat"])
