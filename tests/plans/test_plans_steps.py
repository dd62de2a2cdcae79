"""Whole steps through a plan run: the problem carries each resource's step, and every
allocation and task of a resource with a step (handed over or carried) is whole."""

from decimal import Decimal

import pytest

from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.plans.models import Allocation, NeedOutcome, Task
from sinfronteras.plans.problem import snapshot
from sinfronteras.sharing.models import Resource


@pytest.fixture
def packs(la):
    Resource.objects.filter(collective=la, key="diapers").update(step=Decimal(1))
    Resource.objects.filter(collective=la, key="childcare").update(step=Decimal("0.5"))
    return la


def whole(quantity, step) -> bool:
    return Decimal(quantity) % step == 0


def test_the_problem_carries_each_resources_step(packs, bob, need_of, offer_of):
    need_of(bob, "diapers", 2)
    offer_of(bob, ["childcare"], "1.5")
    doc = snapshot(packs).problem
    steps = {r["id"]: r.get("step") for r in doc["resources"]}
    assert steps == {"diapers": 1.0, "childcare": 0.5, "food": None, "legal-help": None}


def test_three_packs_for_two_families_of_two_make_tasks_of_two_and_one(packs, bob, carla,
                                                                        need_of, offer_of, volunteer):
    need_of(carla, "diapers", 2)
    need_of(volunteer("Boyle Heights"), "diapers", 2)
    offer_of(carla, ["diapers"], 3)
    run = plan_now(packs)
    assert run.status == "done", run.error
    assert sorted(Task.objects.values_list("quantity", flat=True)) == [Decimal(1), Decimal(2)]
    assert sorted(NeedOutcome.objects.values_list("met", flat=True)) == [Decimal(1), Decimal(2)]


def test_carry_tasks_are_whole_packs_too(packs, alice, bob, carla, need_of, offer_of, volunteer,
                                         carrier_of):
    for _ in range(3):
        need_of(volunteer("Boyle Heights"), "diapers", 3)
    offer_of(bob, ["diapers"], 7, radius_km=Decimal(20))  # Echo Park: every task is a carry
    carrier_of(alice, 10, radius_km=30)
    run = plan_now(packs)
    assert run.status == "done", run.error
    carries = list(Task.objects.filter(kind="carry"))
    assert len(carries) == 3 and all(t.carrier_id == alice.pk for t in carries)
    assert sorted(t.quantity for t in carries) == [Decimal(2), Decimal(2), Decimal(3)]


def test_what_an_older_plan_left_as_a_fraction_is_planned_in_whole_steps(packs, bob, carla, need_of,
                                                                       offer_of):
    from sinfronteras.plans.models import PlanRun

    need = need_of(carla, "diapers", 3)
    offer = offer_of(bob, ["diapers"], 5)
    run = PlanRun.objects.create(collective=packs, status="done", progress=100)
    allocation = Allocation.objects.create(run=run, offer=offer, need=need, quantity=Decimal("1.283"),
                                           km=0)
    from datetime import timedelta

    from django.utils import timezone

    Task.objects.create(run=run, allocation=allocation, need=need, offer=offer,
                        quantity=Decimal("1.283"), kind="handover", state="accepted", km=0, carrier=bob,
                        window_start=timezone.now(), window_end=timezone.now() + timedelta(days=2))
    type(offer).objects.filter(pk=offer.pk).update(committed_milli=1283)
    doc = snapshot(packs).problem
    assert [n["quantity"] for n in doc["needs"]] == [2.0]  # 1.717 packs still lacking: 2
    assert [o["quantity"] for o in doc["offers"]] == [3.0]  # 3.717 packs still held: 3
    assert plan_now(packs).status == "done"
    assert Task.objects.exclude(state="accepted").get().quantity == Decimal(2)


def test_after_the_demo_loads_no_planned_amount_of_a_resource_with_a_step_has_a_fraction(db):
    from sinfronteras.demo.load import do_load_demo

    collective = do_load_demo(households=30, volunteers=15).collective
    stepped = dict(Resource.objects.filter(collective=collective, step__isnull=False)
                   .values_list("pk", "step"))
    assert len(stepped) >= 7
    run = plan_now(collective)
    assert run.status == "done", run.error
    tasks = list(Task.objects.filter(run=run).select_related("need"))
    mine = [t for t in tasks if t.need.resource_id in stepped]
    assert len(mine) >= 20 and {t.kind for t in mine} >= {"carry", "handover"}
    assert [t.quantity for t in mine if not whole(t.quantity, stepped[t.need.resource_id])] == []
    allocations = Allocation.objects.filter(run=run).select_related("need")
    assert not [a.quantity for a in allocations
                if a.need.resource_id in stepped and not whole(a.quantity, stepped[a.need.resource_id])]
    outcomes = NeedOutcome.objects.filter(run=run).select_related("need")
    assert not [o.met for o in outcomes
                if o.need.resource_id in stepped and not whole(o.met, stepped[o.need.resource_id])]
    carried = [t.hours for t in tasks if t.kind == "carry" and t.carrier_offer_id]
    assert carried and all(whole(h, Decimal("0.25")) for h in carried)
