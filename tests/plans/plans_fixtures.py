"""Shared fixtures and steps of the plans tests: carriers, open carry tasks, snapshots.

Not a conftest.py: a second ``conftest`` module without a package would shadow the
root one for every later ``from conftest import ...`` in the suite. Test modules
here import what they use: ``from plans_fixtures import carrying, ...``.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from conftest import make_member

_names = itertools.count(1)


@pytest.fixture
def carrying(la):
    """The resource of carrying offers (hours of a volunteer with a car, a bike, a cart)."""
    from sinfronteras.sharing.models import Resource

    return Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                   name_es="Transporte", unit="hours", carries=True)


@pytest.fixture
def volunteer(la, password_hash):
    """Make a member of LA: volunteer("Echo Park") -> a fresh member with a unique name."""

    def make(area_name="Boyle Heights", role="member"):
        return make_member(la, f"vol{next(_names)}", area_name, password_hash=password_hash,
                           role=role)

    return make


@pytest.fixture
def carrier_of(la, carrying):
    """A carrying offer: carrier_of(member, hours, radius_km=None, area=...)."""
    from sinfronteras.sharing.models import Offer

    def make(member, hours, radius_km=None, area=None):
        offer = Offer.objects.create(collective=la, posted_by=member, quantity=Decimal(str(hours)),
                                     area=area or member.area,
                                     radius_km=None if radius_km is None else Decimal(str(radius_km)))
        offer.resources.set([carrying])
        return offer

    return make


@pytest.fixture
def open_carry_tasks(la, need_of, offer_of, volunteer):
    """open_carry_tasks(n, hours) -> n open carry tasks (no carrier yet) of one done run:
    food from a giver in Echo Park to n families in Boyle Heights."""
    from sinfronteras.plans.models import Allocation, PlanRun, Task

    def make(n, hours="0.75"):
        giver = volunteer("Echo Park")
        offer = offer_of(giver, ["food"], n)
        run = PlanRun.objects.create(collective=la, status="done", progress=100)
        now = timezone.now()
        tasks = []
        for _ in range(n):
            need = need_of(volunteer("Boyle Heights"), "food", 1)
            allocation = Allocation.objects.create(run=run, offer=offer, need=need,
                                                   quantity=Decimal(1), km=6.9)
            tasks.append(Task.objects.create(
                run=run, allocation=allocation, need=need, offer=offer, quantity=Decimal(1),
                kind="carry", state="open", hours=Decimal(hours), km=6.9,
                window_start=now - timedelta(hours=1), window_end=now + timedelta(days=2)))
        type(offer).objects.filter(pk=offer.pk).update(committed_milli=n * 1000)
        return tasks

    return make


def plan_now(collective, member=None):
    """Request a run and carry it out here, as the worker would; the run, refreshed."""
    from sinfronteras.plans.runs import do_request_run, execute_run

    run = do_request_run(collective, member, enqueue=False)
    return execute_run(run.pk)


def collective_rows(collective) -> dict:
    """Every need, offer, task and allocation of the collective, as plain values."""
    from sinfronteras.plans.models import Allocation, Task
    from sinfronteras.sharing.models import Need, Offer

    def rows(queryset, *exclude):
        return {obj.pk: {k: v for k, v in model_to_dict(obj).items() if k not in exclude}
                for obj in queryset.order_by("pk")}

    return {
        "needs": rows(Need.objects.filter(collective=collective)),
        "offers": rows(Offer.objects.filter(collective=collective).prefetch_related("resources")),
        "offer_commitments": dict(Offer.objects.filter(collective=collective)
                                  .values_list("pk", "committed_milli")),
        "tasks": rows(Task.objects.filter(need__collective=collective)),
        "allocations": rows(Allocation.objects.filter(need__collective=collective)),
    }


def milli(amount) -> int:
    return int(Decimal(amount) * 1000)
