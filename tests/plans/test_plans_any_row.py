"""A plan run never fails because of one row: what it cannot plan is left out and named.

A property test feeds the run's entry point (read rows, build the problem, plan, store)
rows drawn from the models' full value ranges: quantities from 0.001 to 999,999,999.999,
any date from year 1 to 9999, reaches from 0 to 99,999.99 km, areas anywhere (and, now
and then, off the map), carriers with any hours.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from plans_fixtures import plan_now
from sinfronteras.members.models import Area, Collective, Member
from sinfronteras.plans.models import NeedOutcome, Task
from sinfronteras.plans.screen import REASONS
from sinfronteras.sharing.models import Need, Offer, Resource

QUANTITY = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999999.999"), places=3)
TINY_OR_HUGE = st.one_of(QUANTITY, st.sampled_from([Decimal("0.001"), Decimal("999999999.999")]))
ANY_DATE = st.one_of(st.none(), st.dates(), st.sampled_from([date.max, date.min]))
RADIUS = st.one_of(st.none(), st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"),
                                          places=2))
COORD = st.tuples(st.floats(-90, 90), st.floats(-180, 180))
AREA = st.one_of(COORD, COORD, COORD, st.just((123.0, 456.0)))  # sometimes off the map

NEED = st.fixed_dictionaries({"resource": st.sampled_from(["food", "diapers"]), "area": st.integers(0, 2),
                              "quantity": TINY_OR_HUGE, "urgent": st.booleans(), "needed_by": ANY_DATE})
OFFER = st.fixed_dictionaries({"resources": st.sampled_from([["food"], ["diapers"], ["food", "diapers"]]),
                               "area": st.integers(0, 2), "quantity": TINY_OR_HUGE, "radius_km": RADIUS,
                               "weekly": st.booleans(), "available_until": ANY_DATE})
CARRIER = st.fixed_dictionaries({"area": st.integers(0, 2), "quantity": TINY_OR_HUGE,
                                 "radius_km": RADIUS})


def cannot_hold(needed_by) -> bool:
    """A need's date whose task window no time zone's clock can hold (past year 9999)."""
    return needed_by is not None and needed_by > date(9999, 12, 29)


class PlanRunsSurviveAnyRow(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(areas=st.lists(AREA, min_size=3, max_size=3), needs=st.lists(NEED, max_size=8),
           offers=st.lists(OFFER, max_size=6), carriers=st.lists(CARRIER, max_size=2))
    def test_a_run_ends_done_and_names_what_it_left_out(self, areas, needs, offers, carriers):
        la = Collective.objects.create(name="LA Unidos", slug="la-unidos")
        places = [Area.objects.create(collective=la, name=f"area {i}", lat=0, lon=0)
                  for i in range(3)]
        for place, (lat, lon) in zip(places, areas):  # as a row may hold it, past validation
            Area.objects.filter(pk=place.pk).update(lat=lat, lon=lon)
        resources = {key: Resource.objects.create(collective=la, key=key, name_en=key, name_es=key,
                                                  unit="units", basic=key == "food")
                     for key in ("food", "diapers")}
        carrying = Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                           name_es="Transporte", unit="hours", carries=True)
        bob = Member.objects.create(username="bob", display_name="Bob", collective=la, password="!")
        made = [Need.objects.create(collective=la, posted_by=bob, resource=resources[n["resource"]],
                                    area=places[n["area"]], quantity=n["quantity"], urgent=n["urgent"],
                                    needed_by=n["needed_by"]) for n in needs]
        for o in offers:
            offer = Offer.objects.create(collective=la, posted_by=bob, area=places[o["area"]],
                                         quantity=o["quantity"], radius_km=o["radius_km"],
                                         weekly=o["weekly"], available_until=o["available_until"])
            offer.resources.set([resources[key] for key in o["resources"]])
        for c in carriers:
            offer = Offer.objects.create(collective=la, posted_by=bob, area=places[c["area"]],
                                         quantity=c["quantity"], radius_km=c["radius_km"])
            offer.resources.set([carrying])

        run = plan_now(la)

        assert run.status == "done", run.error
        named = {row["id"] for row in run.left_out if row["kind"] == "need"}
        assert all(row["reason"] in REASONS for row in run.left_out)
        off_map = {i for i, (lat, lon) in enumerate(areas) if abs(lat) > 90 or abs(lon) > 180}
        must_name = {need.pk for need, n in zip(made, needs)
                     if cannot_hold(n["needed_by"]) or n["area"] in off_map}
        assert must_name <= named
        planned = set(NeedOutcome.objects.filter(run=run).values_list("need_id", flat=True))
        assert planned | named == {need.pk for need in made} and not planned & named
        for need in made:  # nobody gets more than they asked for
            given_ = sum(t.quantity for t in Task.objects.filter(run=run, need=need))
            assert given_ <= need.quantity
        for offer in Offer.objects.filter(collective=la):  # and no giver beyond their offer
            assert offer.committed_milli <= offer.quantity * 1000


@pytest.fixture
def far_need(alice, la, need_of):
    need = need_of(alice, "food", 3)
    Need.objects.filter(pk=need.pk).update(needed_by=date(9999, 12, 31))
    return need


def test_one_need_dated_past_year_9999_is_left_out_and_named_and_the_rest_is_planned(
        client, alice, bob, la, far_need, need_of, offer_of):
    fine = need_of(bob, "food", 2)
    offer_of(alice, ["food"], 10)
    run = plan_now(la, alice)
    assert run.status == "done"
    assert run.left_out == [{"kind": "need", "id": far_need.pk, "reason": "date_out_of_range",
                             "detail": "9999-12-31"}]
    assert Task.objects.filter(run=run, need=fine).exists()
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert 'id="left-out"' in page and "further ahead than a plan can hold" in page
    assert reverse("need_edit", args=[far_need.pk]) in page
    Member.objects.filter(pk=alice.pk).update(language="es")
    spanish = client.get(reverse("plans:plan")).content.decode()
    assert "más lejos de lo que un plan puede abarcar" in spanish


def test_a_run_with_nothing_left_out_says_nothing_about_it(client, alice, la, need_of, offer_of):
    need_of(alice, "food", 2, needed_by=timezone.localdate() + timedelta(days=3))
    offer_of(alice, ["food"], 10)
    run = plan_now(la, alice)
    assert run.status == "done" and run.left_out == []
    client.force_login(alice)
    assert 'id="left-out"' not in client.get(reverse("plans:plan")).content.decode()
