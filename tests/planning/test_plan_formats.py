"""Problem format v1: what is accepted, what is refused and how it is named."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from sinfronteras.planning import Problem, ProblemError, plan
from sinfronteras.planning.arcs import build_arcs
from sinfronteras.planning.generate import city_problem

BASE = {
    "version": 1,
    "resources": [{"id": "rice", "unit": "kg", "basic": True}, {"id": "ride", "unit": "trips"}],
    "places": [{"id": "bh", "lat": 34.0339, "lon": -118.2047}, {"id": "ep", "lat": 34.0782, "lon": -118.2606}],
    "needs": [{"id": "n1", "resource": "rice", "quantity": 5, "place": "bh", "urgent": True}],
    "offers": [{"id": "o1", "resources": ["rice"], "quantity": 20, "place": "bh", "radius_km": 8}],
}


def changed(path, value):
    doc = copy.deepcopy(BASE)
    *head, last = path
    target = doc
    for k in head:
        target = target[k]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return doc


BAD = [
    (changed(["version"], 2), "version", "unsupported version"),
    (changed(["version"], KeyError), "problem", "missing field 'version'"),
    (changed(["needs", 0, "place"], "nowhere"), 'needs[0] (id "n1")', "unknown place 'nowhere'"),
    (changed(["needs", 0, "resource"], "gold"), 'needs[0] (id "n1")', "unknown resource 'gold'"),
    (changed(["needs", 0, "quantity"], -3), 'needs[0] (id "n1")', "must be positive"),
    (changed(["needs", 0, "quantity"], 0), 'needs[0] (id "n1")', "must be positive"),
    (changed(["needs", 0, "quantity"], "five"), 'needs[0] (id "n1")', "must be a number"),
    (changed(["needs", 0, "quantity"], True), 'needs[0] (id "n1")', "must be a number"),
    (changed(["needs", 0, "quantity"], KeyError), 'needs[0] (id "n1")', "missing field 'quantity'"),
    (changed(["offers", 0, "resources"], ["rice", "ride"]), 'offers[0] (id "o1")', "share one unit"),
    (changed(["offers", 0, "radius_km"], -1), 'offers[0] (id "o1")', "must not be negative"),
    (changed(["offers", 0, "place"], KeyError), 'offers[0] (id "o1")', "missing field 'place'"),
    (changed(["places", 1, "id"], "bh"), 'places[1] (id "bh")', "duplicate id 'bh'"),
    (changed(["places", 0, "lat"], 123), 'places[0] (id "bh")', "lat must be within"),
    (changed(["needs"], {"n1": 1}), "needs", "must be a list"),
    (changed(["needs", 0, "urgent"], "yes"), 'needs[0] (id "n1")', "'urgent' must be true or false"),
    ([1, 2], "problem", "must be a JSON object"),
]


@pytest.mark.parametrize("doc,entry,words", BAD)
def test_bad_documents_name_the_entry(doc, entry, words):
    with pytest.raises(ProblemError) as err:
        Problem.from_json(doc)
    assert err.value.entry == entry
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_round_trip_and_defaults():
    p = Problem.from_json(BASE)
    assert Problem.from_json(p.to_json()) == p
    doc = changed(["offers", 0, "radius_km"], KeyError)
    assert Problem.from_json(doc).offers[0].radius_km is None
    doc = changed(["needs", 0, "urgent"], KeyError)
    assert Problem.from_json(doc).needs[0].urgent is False


def test_empty_problem_gives_an_empty_plan():
    out = plan(Problem.from_json({"version": 1})).to_json()
    assert out == {
        "version": 1,
        "status": "optimal",
        "allocations": [],
        "needs": [],
        "summary": {"tiers": {}, "distance_km": 0.0, "shortage": [], "quantity_resolution": 1e-06, "max_flows": 0},
    }


def test_plan_document_fields():
    doc = copy.deepcopy(BASE)
    doc["needs"].append({"id": "n2", "resource": "ride", "quantity": 1, "place": "ep"})
    doc["needs"].append({"id": "n3", "resource": "rice", "quantity": 30, "place": "ep"})
    out = plan(Problem.from_json(doc)).to_json()
    assert out["allocations"] == [
        {"offer": "o1", "need": "n1", "quantity": 5.0},
        {"offer": "o1", "need": "n3", "quantity": 15.0},
    ]
    n1, n2, n3 = out["needs"]
    assert n1 == {"id": "n1", "met": 5.0, "fraction": 1.0, "tier": 1}
    assert n2["reason"] == "nothing_in_reach" and n2["met"] == 0.0 and n2["tier"] == 4
    assert n3["reason"] == "offers_in_reach_went_to_equal_or_stronger_claims" and n3["fraction"] == 0.5
    assert out["summary"]["tiers"]["2"] == {"needs": 1, "fully_met": 0, "untouched": 0, "min_fraction": 0.5}
    km = out["summary"]["distance_km"]
    assert 15 * 7.0 < km < 15 * 7.25  # these two cells lie about 7.1 km apart
    rice = [s for s in out["summary"]["shortage"] if s["resource"] == "rice"]
    assert rice == [
        {"tier": 2, "resource": "rice", "unit": "kg", "place": "ep", "fraction": 0.5, "short": 15.0,
         "needs": 1, "nothing_in_reach": 0}
    ]


def test_arcs_match_brute_force_on_a_city():
    p = city_problem(300, seed=7)
    a = p.arrays
    arcs = build_arcs(a)
    from sinfronteras.planning.arcs import haversine_km

    res_sets = [set(o.resources) for o in p.offers]
    expected = set()
    for j, o in enumerate(p.offers):
        ok = np.array([n.resource in res_sets[j] for n in p.needs])
        d = haversine_km(a.lat[a.offer_place[j]], a.lon[a.offer_place[j]], a.lat[a.need_place], a.lon[a.need_place])
        d = np.where(a.need_place == a.offer_place[j], 0.0, d)
        expected |= {(j, int(i)) for i in np.flatnonzero(ok & (d <= o.radius_km))}
    assert set(zip(arcs.offer.tolist(), arcs.need.tolist())) == expected
    assert len(expected) > 1000
    assert json.dumps(arcs.offer.tolist()) == json.dumps(sorted(arcs.offer.tolist()))
