"""Alerts: a raid reported in an area pauses deliveries there until it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone

from conftest import area
from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.audit.models import Event
from sinfronteras.plans import lifecycle
from sinfronteras.plans.addresses import do_seal_address, readable_address
from sinfronteras.plans.alerts import do_lift_alert, do_raise_alert
from sinfronteras.plans.models import AreaAlert, Task

ADDRESS = "12 Hidden Lane"


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def delivery(la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """Carla needs food in Boyle Heights; bob gives it in Echo Park; a driver in Koreatown
    has the carry proposed."""
    need = need_of(carla, "food", 5)
    offer_of(bob, ["food"], 5)
    driver = volunteer("Koreatown")
    carrier_of(driver, 3)
    run = plan_now(la, alice)
    task = Task.objects.get(run=run, need=need)
    assert (task.kind, task.state, task.carrier_id) == ("carry", "proposed", driver.pk)
    return need, task, driver


def test_an_alert_sends_unaccepted_tasks_back_and_the_next_plan_leaves_the_area_out(
        la, alice, delivery):
    need, task, driver = delivery
    alert = do_raise_alert(alice, area(la, "Boyle Heights"), 6)
    task.refresh_from_db()
    assert task.state == "superseded"
    with pytest.raises(lifecycle.TaskRefused):
        lifecycle.do_accept(driver, task)
    paused = plan_now(la, alice)
    assert paused.parameters["paused_areas"] == ["Boyle Heights"]
    assert paused.parameters["paused_needs"] == 1
    assert not Task.objects.filter(run=paused, need=need).exists()
    assert not paused.outcomes.filter(need=need).exists()  # left out, not counted as unmet
    do_lift_alert(alice, alert)
    again = plan_now(la, alice)
    assert again.parameters["paused_areas"] == []
    assert Task.objects.filter(run=again, need=need, state="proposed").exists()
    assert [e.action for e in Event.objects.filter(action__startswith="alert.")
            .order_by("pk")] == ["alert.raised", "alert.lifted"]


def test_an_accepted_delivery_keeps_its_carrier_but_hides_the_address_during_an_alert(
        la, alice, delivery):
    need, task, driver = delivery
    do_seal_address(need, ADDRESS)
    lifecycle.do_accept(driver, task)
    task.refresh_from_db()
    assert readable_address(driver, task) == ADDRESS
    alert = do_raise_alert(alice, area(la, "Boyle Heights"), 2)
    task.refresh_from_db()
    assert task.state == "accepted" and task.carrier_id == driver.pk
    assert readable_address(driver, task) is None
    do_lift_alert(alice, alert)
    assert readable_address(driver, task) == ADDRESS


def test_an_alert_ends_by_itself(la, alice, delivery):
    need, task, driver = delivery
    do_raise_alert(alice, area(la, "Echo Park"), 3)  # the giver's side
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1), tick=False):
        assert not AreaAlert.objects.active().exists()
        run = plan_now(la, alice)
        assert Task.objects.filter(run=run, need=need, state="proposed").exists()


def test_any_member_raises_an_alert_every_member_sees_it_and_a_coordinator_lifts_it(
        client, la, alice, bob, carla):
    client.force_login(carla)  # a member who saw it: a false alarm only holds deliveries back
    client.post(reverse("plans:alerts"), {"area": area(la, "Koreatown").pk, "hours": "8"})
    alert = AreaAlert.objects.get()
    assert (alert.area.name, alert.raised_by) == ("Koreatown", carla)
    assert 7.9 < (alert.until - alert.raised_at).total_seconds() / 3600 <= 8
    assert Event.objects.get(action="alert.raised").actor == carla
    client.force_login(bob)
    page = client.get(reverse("needs")).content.decode()
    assert 'id="area-alerts"' in page and "Alert in Koreatown" in page
    assert client.post(reverse("plans:alert_lift", args=[alert.pk]), {"confirm": "yes"}).status_code == 403
    client.force_login(alice)
    client.post(reverse("plans:alert_lift", args=[alert.pk]), {"confirm": "yes"})
    alert.refresh_from_db()
    assert alert.lifted_at is not None
    client.force_login(bob)
    assert 'id="area-alerts"' not in client.get(reverse("needs")).content.decode()


def test_the_member_who_raised_an_alert_may_lift_it(client, la, carla):
    client.force_login(carla)
    client.post(reverse("plans:alerts"), {"area": area(la, "Echo Park").pk, "hours": "2"})
    client.post(reverse("plans:alert_lift", args=[AreaAlert.objects.get().pk]), {"confirm": "yes"})
    assert not AreaAlert.objects.active().exists()


@pytest.mark.parametrize("hours", ["0", "73", "soon", ""])
def test_it_rejects_an_alert_without_a_sensible_length_and_says_so(client, la, alice, hours):
    client.force_login(alice)
    page = client.post(reverse("plans:alerts"),
                       {"area": area(la, "Koreatown").pk, "hours": hours}).content.decode()
    assert 'id="error-hours"' in page and "Give 1 to 72 hours" in page
    assert not AreaAlert.objects.exists()


def test_nobody_raises_an_alert_in_another_collective(client, la, oakland, alice, dmitri):
    client.force_login(alice)
    page = client.post(reverse("plans:alerts"),
                       {"area": oakland.areas.get().pk, "hours": "4"}).content.decode()
    assert 'id="error-area"' in page
    client.force_login(dmitri)
    page = client.post(reverse("plans:alerts"),
                       {"area": area(la, "Koreatown").pk, "hours": "4"}).content.decode()
    assert 'id="error-area"' in page
    assert not AreaAlert.objects.exists()


def test_the_plan_page_says_which_areas_the_plan_left_out(client, la, alice, delivery):
    do_raise_alert(alice, area(la, "Boyle Heights"), 4)
    plan_now(la, alice)
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert 'id="paused-areas"' in page and "Boyle Heights (1 open need waits)" in page


def test_the_menu_counts_the_tasks_waiting_for_the_carriers_answer(client, la, delivery):
    need, task, driver = delivery
    client.force_login(driver)
    page = client.get(reverse("needs")).content.decode()
    assert '<span class="badge" id="tasks-waiting"' in page and ">1</span>" in page
    lifecycle.do_accept(driver, task)
    assert 'id="tasks-waiting"' not in client.get(reverse("needs")).content.decode()

