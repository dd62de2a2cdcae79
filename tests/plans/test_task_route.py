"""A task's route never reads "West Athens → West Athens" (FINDINGS, December 2026: a carry
inside one area). The planner carries only between areas; a task within one is a hand-over,
and My tasks says so, in the dropped list as in the rest."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from conftest import area


def dropped_task(la, giver, need, kind, resource="food"):
    """A task of ``giver``'s offer of ``resource`` to ``need``, dropped by a replan just now."""
    from sinfronteras.plans.models import Allocation, PlanRun, Task

    run = PlanRun.objects.create(collective=la, status="done", progress=100)
    offer = need.collective.offers.filter(posted_by=giver, resources__key=resource).get()
    allocation = Allocation.objects.create(run=run, offer=offer, need=need, quantity=Decimal(1),
                                           km=0)
    now = timezone.now()
    return Task.objects.create(run=run, allocation=allocation, need=need, offer=offer,
                               quantity=Decimal(1), kind=kind, state="superseded", km=0,
                               dropped_reason="replanned", dropped_at=now,
                               window_start=now, window_end=now + timedelta(days=1))


def test_a_dropped_task_within_one_area_reads_as_a_hand_over_there(client, la, bob, carla,
                                                                    need_of, offer_of):
    offer_of(carla, ["food"], 3, area=area(la, "Echo Park"))
    task = dropped_task(la, carla, need_of(bob, "food", 1), "handover")  # both in Echo Park
    client.force_login(carla)
    html = client.get(reverse("plans:tasks")).content.decode()
    row = html[html.index(f'id="dropped-{task.pk}"'):]
    row = row[:row.index("</li>")]
    assert "Hand-over in Echo Park" in row and "Echo Park → Echo Park" not in row


def test_a_carry_between_two_areas_reads_as_a_route_in_both_languages(client, la, bob, carla,
                                                                      need_of, offer_of):
    offer_of(carla, ["food"], 3)  # Boyle Heights
    task = dropped_task(la, carla, need_of(bob, "food", 1), "carry")  # to Echo Park
    carla.language = "es"
    carla.save()
    client.force_login(carla)
    html = client.get(reverse("plans:tasks")).content.decode()
    assert f'id="dropped-{task.pk}"' in html and "Boyle Heights → Echo Park" in html
    assert "Entrega en" not in html
