"""Whole units, worst-off first: each tier's rounding is the leximin-largest, at 400+ needs.

Every tier's sorted fulfilled fractions are compared with an independent
reference (``whole_reference``: staged LPs for the exact shares, then MILPs for
the leximin-largest rounding to whole steps, HiGHS through scipy), on problems
of the shape that broke: many needs of one resource sharing a few offers, each
need within reach of one to three of them, so that tight sets touch.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from whole_reference import Net, rounded_tier

from sinfronteras.planning import Problem, plan
from sinfronteras.planning.arcs import build_arcs
from sinfronteras.planning.solve import in_steps, scale_quantities


def shared_offers(seed: int, needs: int, offers: int, resources: int, radius_km=(0.6, 1.2)) -> Problem:
    """Needs of a few resources around a town; each offer reaches the needs within its radius."""
    rng = random.Random(seed)
    places = [{"id": f"p{k}", "lat": round(34.0 + rng.uniform(0, 0.04), 5),
               "lon": round(-118.3 + rng.uniform(0, 0.04), 5)} for k in range(max(8, needs // 6))]
    res = [{"id": f"r{k}", "unit": "packs", "basic": True, "step": 1} for k in range(resources)]
    doc = {
        "version": 1,
        "resources": res,
        "places": places,
        "needs": [{"id": f"n{i}", "resource": f"r{i % resources}", "quantity": rng.randint(1, 9),
                   "place": rng.choice(places)["id"], "urgent": rng.random() < 0.3} for i in range(needs)],
        "offers": [{"id": f"o{j}", "resources": [f"r{j % resources}"], "quantity": rng.randint(1, 12),
                    "place": rng.choice(places)["id"], "radius_km": rng.choice(radius_km)} for j in range(offers)],
    }
    return Problem.from_json(doc)


def check_every_tier(problem: Problem) -> int:
    """Compare every tier with the reference; return how many needs were compared."""
    result = plan(problem)
    a = problem.arrays
    sc = in_steps(scale_quantities(a.need_quantity, a.offer_quantity), a)
    arcs = build_arcs(a)
    q = np.asarray(sc.need)
    met = np.rint(np.asarray([n.met for n in result.need_results])).astype(np.int64)
    assert np.array_equal(met, np.asarray([n.met for n in result.need_results]))  # whole packs
    tier = np.asarray(a.need_tier)
    net = Net(arcs.offer, arcs.need, q, sc.offer)
    for t in (1, 2, 3, 4):
        needs = np.flatnonzero(tier == t).tolist()
        if not needs:
            continue
        fixed = {i: float(met[i]) for i in np.flatnonzero(tier < t)}
        mine = sorted(met[i] / q[i] for i in needs)
        assert np.allclose(mine, rounded_tier(net, needs, fixed), atol=1e-9), t
    # The plan delivers what it says, offer by offer, in whole packs.
    sent: dict[str, float] = {}
    for x in result.allocations:
        assert float(x.quantity).is_integer()
        sent[x.offer] = sent.get(x.offer, 0.0) + x.quantity
    assert all(sent.get(o.id, 0.0) <= o.quantity for o in problem.offers)
    return len(q)


def test_a_step_may_come_from_a_tight_set_whose_own_needs_were_rounded_down():
    # Two needs of 2 packs share 1 pack (shares 1/2 each); the need of 1 pack in the middle
    # reaches that pack and another one, which it shares with a last need of 1 pack (shares 1/2).
    # Whole packs: the two needs of 2 get nothing either way, so both single packs go to the
    # needs of 1: fractions 0, 0, 1, 1 beat 0, 0, 1/2, 1.
    doc = {
        "version": 1,
        "resources": [{"id": r, "unit": "packs", "basic": True, "step": 1} for r in ("r1", "r2", "r3")],
        "places": [{"id": "p", "lat": 34.0, "lon": -118.3}],
        "needs": [{"id": "a1", "resource": "r1", "quantity": 2, "place": "p"},
                  {"id": "a2", "resource": "r1", "quantity": 2, "place": "p"},
                  {"id": "j", "resource": "r2", "quantity": 1, "place": "p"},
                  {"id": "b", "resource": "r3", "quantity": 1, "place": "p"}],
        "offers": [{"id": "oa", "resources": ["r1", "r2"], "quantity": 1, "place": "p"},
                   {"id": "ob", "resources": ["r2", "r3"], "quantity": 1, "place": "p"}],
    }
    result = plan(Problem.from_json(doc))
    assert [n.met for n in result.need_results] == [0.0, 0.0, 1.0, 1.0]
    assert sorted((x.offer, x.need) for x in result.allocations) == [("oa", "j"), ("ob", "b")]


@pytest.mark.parametrize("seed", range(40, 70))
def test_small_shared_offers_round_to_the_leximin_largest_whole_steps(seed):
    check_every_tier(shared_offers(seed, needs=20, offers=6, resources=1, radius_km=(0.5, 0.8, 1.5)))


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2))
def test_420_needs_and_140_offers_round_to_the_leximin_largest_whole_steps(seed):
    assert check_every_tier(shared_offers(100 + seed, needs=420, offers=140, resources=3)) == 420


@pytest.mark.slow
def test_480_needs_of_one_resource_sharing_twelve_offers_round_to_the_leximin_largest():
    assert check_every_tier(shared_offers(0, needs=480, offers=12, resources=1, radius_km=(0.4, 0.8, 1.2))) == 480
