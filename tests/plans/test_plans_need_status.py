"""What a person in need reads of a need the plan could not meet in full, and why."""

from __future__ import annotations

from django.urls import reverse

from conftest import area
from plans_fixtures import plan_now
from sinfronteras.plans.alerts import do_raise_alert


def test_a_person_in_need_reads_how_much_the_plan_found_and_why(client, la, alice, bob, carla,
                                                               need_of, offer_of):
    short = need_of(carla, "diapers", 4)
    offer_of(bob, ["diapers"], 1, area=area(la, "Boyle Heights"))
    far = need_of(carla, "legal-help", 2)  # nobody offers legal help at all
    plan_now(la, alice)
    client.force_login(carla)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert "found 1 of 4 packs" in page
    nobody = page.split(f'id="need-state-{far.pk}"')[1].split("</li>")[0]
    assert "Nobody offers this within reach" in nobody
    do_raise_alert(alice, area(la, "Boyle Heights"), 2)
    page = client.get(reverse("plans:tasks")).content.decode()
    mine = page.split(f'id="need-state-{short.pk}"')[1].split("</li>")[0]
    assert "An alert has paused deliveries in your area" in mine
