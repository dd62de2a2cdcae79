"""A hand-over a person can carry out: a window fitting everyone's days and hours, a
sealed pickup point, and the task's people writing to each other (and nobody else)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from datetime import timezone as utc_zone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import translation

from conftest import make_member
from leaks import capture_every_log, dump_database
from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.audit.models import Event
from sinfronteras.plans import lifecycle
from sinfronteras.plans.addresses import do_seal_pickup, readable_pickup
from sinfronteras.plans.compute import NO_COMMON_TIME
from sinfronteras.plans.handover import window_text
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import NeedOutcome, SealedPickup, Task, TaskMessage
from sinfronteras.plans.task_messages import do_post_message, visible_messages
from sinfronteras.plans.windows import common_windows
from sinfronteras.sharing.models import Slot

LA = ZoneInfo("America/Los_Angeles")
#: A Wednesday morning in Los Angeles: the coming Saturday is 12 December 2026.
WEDNESDAY = datetime(2026, 12, 9, 9, 0, tzinfo=LA)
SAT, SUN = 5, 6
PICKUP = "Garage behind 77 Calle Recogida — pickprobe-3e9a"


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


def slots(owner, *spans):
    field = "need" if owner._meta.model_name == "need" else "offer"
    for weekday, start, end in spans:
        Slot.objects.create(**{field: owner}, weekday=weekday, start=time(start), end=time(end))


@pytest.fixture
def saturday_carry(wednesday, la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """Carla (Boyle Heights) can receive on Saturdays 9-12, bob (Echo Park) gives on
    Saturdays 10-13, a driver (Koreatown) carries on Saturdays 11-14."""
    need = need_of(carla, "food", 5)
    slots(need, (SAT, 9, 12))
    offer = offer_of(bob, ["food"], 5)
    slots(offer, (SAT, 10, 13))
    driver = volunteer("Koreatown")
    slots(carrier_of(driver, 3), (SAT, 11, 14))
    run = plan_now(la, alice)
    assert run.status == "done", run.error
    return need, offer, driver, Task.objects.get(run=run, need=need)


# --- windows ------------------------------------------------------------------------------

def test_common_windows_are_where_every_person_who_said_a_time_is_free():
    start = WEDNESDAY
    found = common_windows([[(SAT, time(10), time(13))], [(SAT, time(12), time(18))], []],
                           start, start + timedelta(days=8), 30, LA)
    assert found == [(datetime(2026, 12, 12, 12, tzinfo=LA), datetime(2026, 12, 12, 13, tzinfo=LA))]


def test_common_windows_are_none_when_nobody_said_a_time_and_empty_when_nothing_fits():
    start = WEDNESDAY
    assert common_windows([[], []], start, start + timedelta(days=8), 30, LA) is None
    assert common_windows([[(SAT, time(10), time(12))], [(SUN, time(10), time(12))]],
                          start, start + timedelta(days=8), 30, LA) == []
    # too short: an overlap of 20 minutes does not hold a 30-minute hand-over
    assert common_windows([[(SAT, time(10), time(12))], [(SAT, time(11, 40), time(13))]],
                          start, start + timedelta(days=8), 30, LA) == []
    # past the deadline: Saturday comes after Friday's need
    assert common_windows([[(SAT, time(10), time(12))]], start, start + timedelta(days=2), 30,
                          LA) == []


def test_a_window_that_has_begun_starts_now():
    start = datetime(2026, 12, 12, 11, 15, tzinfo=LA)
    found = common_windows([[(SAT, time(10), time(13))]], start, start + timedelta(days=1), 30, LA)
    assert found[0] == (start, datetime(2026, 12, 12, 13, tzinfo=LA))
    assert found[0][0].astimezone(utc_zone.utc).hour == 19


# --- the plan ---------------------------------------------------------------------------------

def test_a_carry_gets_a_window_that_fits_the_giver_the_receiver_and_the_carrier(saturday_carry):
    need, offer, driver, task = saturday_carry
    assert (task.kind, task.state, task.carrier_id, task.timed) == ("carry", "proposed", driver.pk,
                                                                    True)
    assert task.window_start == datetime(2026, 12, 12, 11, tzinfo=LA)
    assert task.window_end == datetime(2026, 12, 12, 12, tzinfo=LA)
    with translation.override("en"):
        assert window_text(task) == "Saturday, December 12, 11:00 AM–12:00 PM"
    with translation.override("es"):
        assert window_text(task) == "sábado 12 de diciembre, de 11:00 a 12:00"


def test_a_carrier_who_is_not_free_then_is_not_given_the_carry(
        wednesday, la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    need = need_of(carla, "food", 5)
    slots(need, (SAT, 9, 12))
    slots(offer_of(bob, ["food"], 5), (SAT, 10, 13))
    sunday_driver = volunteer("Koreatown")
    slots(carrier_of(sunday_driver, 3), (SUN, 9, 18))
    run = plan_now(la, alice)
    task = Task.objects.get(run=run, need=need)
    assert (task.state, task.carrier_id) == ("open", None)
    assert run.summary["carriers"]["uncarried"][0]["need"] == need.pk
    # the open task keeps the giver's and the receiver's common time
    assert (task.window_start, task.window_end) == (datetime(2026, 12, 12, 10, tzinfo=LA),
                                                    datetime(2026, 12, 12, 12, tzinfo=LA))
    assert lifecycle.eligible_carrier_offer(sunday_driver, task) is None


def test_a_giver_and_a_receiver_with_no_common_time_get_no_task_and_are_told_why(
        wednesday, la, alice, bob, carla, need_of, offer_of, client):
    need = need_of(carla, "food", 5)
    slots(need, (SUN, 9, 12))
    offer = offer_of(bob, ["food"], 5, area=carla.area)
    slots(offer, (SAT, 10, 13))
    run = plan_now(la, alice)
    assert run.status == "done", run.error
    assert not Task.objects.filter(need=need).exists()
    assert run.summary["untimed"] == [{"need": need.pk, "offer": offer.pk, "resource": "food",
                                       "quantity": 5.0, "reason": NO_COMMON_TIME}]
    assert NeedOutcome.objects.get(run=run, need=need).reason == NO_COMMON_TIME
    offer.refresh_from_db()
    assert offer.committed_milli == 0  # nothing taken from the giver
    client.force_login(carla)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert "no day and hour in common" in page
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert 'id="untimed"' in page and "no day and hour in common" in page


def test_without_any_days_and_hours_a_task_keeps_its_deadline(
        wednesday, la, alice, bob, carla, need_of, offer_of):
    need = need_of(carla, "food", 5, area=bob.area)
    offer_of(bob, ["food"], 5)
    task = Task.objects.get(run=plan_now(la, alice), need=need)
    assert (task.kind, task.timed) == ("handover", False)
    with translation.override("en"):
        assert window_text(task).startswith("By ")


# --- the sealed pickup point ------------------------------------------------------------------

def test_only_the_accepted_carrier_reads_the_pickup_point_and_only_during_the_window(
        saturday_carry, alice, bob, carla, volunteer, wednesday):
    need, offer, driver, task = saturday_carry
    do_seal_pickup(offer, PICKUP)
    sealed = SealedPickup.objects.get(offer=offer)
    assert b"pickprobe-3e9a" not in bytes(sealed.ciphertext)
    assert "pickprobe" not in str(sealed) + repr(sealed)
    stranger = volunteer("Koreatown")

    assert readable_pickup(driver, task) is None  # proposed only
    lifecycle.do_accept(driver, task)
    task.refresh_from_db()
    assert readable_pickup(driver, task) is None  # Wednesday: before the window
    wednesday.move_to(task.window_start + timedelta(minutes=1))
    assert readable_pickup(driver, task) == PICKUP
    for other in (alice, bob, carla, stranger):
        assert readable_pickup(other, task) is None
    wednesday.move_to(task.window_end + timedelta(seconds=1))
    assert readable_pickup(driver, task) is None  # after it
    wednesday.move_to(task.window_end - timedelta(minutes=1))
    lifecycle.do_done(driver, task)
    assert not SealedPickup.objects.filter(offer=offer).exists()  # destroyed after


def test_housekeeping_destroys_the_pickup_point_of_an_offer_withdrawn(saturday_carry):
    need, offer, driver, task = saturday_carry
    do_seal_pickup(offer, PICKUP)
    assert do_housekeeping()["addresses_destroyed"] == 0
    type(offer).objects.filter(pk=offer.pk).update(status="withdrawn")
    assert do_housekeeping()["addresses_destroyed"] == 1
    assert not SealedPickup.objects.exists()


def test_the_giver_seals_and_destroys_a_pickup_point_through_the_page_never_in_the_url(
        client, bob, alice, offer_of):
    offer = offer_of(bob, ["food"], 3)
    client.force_login(alice)  # a coordinator: not the giver
    assert client.post(reverse("plans:offer_pickup", args=[offer.pk]),
                       {"address": PICKUP}).status_code == 403
    client.force_login(bob)
    with capture_every_log() as logs:
        response = client.post(reverse("plans:offer_pickup", args=[offer.pk]), {"address": PICKUP})
    assert response.status_code == 302 and "pickprobe" not in response["Location"]
    assert "pickprobe" not in logs.getvalue() and "pickprobe" not in dump_database()
    page = client.get(reverse("plans:offer_pickup", args=[offer.pk])).content.decode()
    assert "pickprobe" not in page and "Destroy the sealed pickup point" in page
    client.post(reverse("plans:offer_pickup_delete", args=[offer.pk]))
    assert not SealedPickup.objects.exists()


def test_the_sealed_address_page_has_no_stray_label_and_the_address_can_be_destroyed(
        client, carla, need_of):
    from sinfronteras.plans.addresses import do_seal_address
    from sinfronteras.plans.models import SealedAddress

    need = need_of(carla, "food", 2)
    do_seal_address(need, "1 Calle Probe")
    client.force_login(carla)
    page = client.get(reverse("plans:need_address", args=[need.pk])).content.decode()
    assert "Clear" not in page and "Destroy the sealed address" in page
    client.post(reverse("plans:need_address_delete", args=[need.pk]))
    assert not SealedAddress.objects.filter(need=need).exists()


# --- messages ---------------------------------------------------------------------------------

def test_the_people_of_a_task_write_to_each_other_and_nobody_else_reads_it(
        saturday_carry, alice, bob, carla, dmitri, volunteer, client):
    need, offer, driver, task = saturday_carry
    with capture_every_log() as logs:
        for member, text in ((bob, "msgprobe-giver: at the gate"), (driver, "msgprobe-carrier ok"),
                             (carla, "msgprobe-family: thank you")):
            client.force_login(member)
            response = client.post(reverse("plans:task_message", args=[task.pk]), {"text": text})
            assert response.status_code == 302 and "msgprobe" not in response["Location"]
    assert "msgprobe" not in logs.getvalue() and "msgprobe" not in dump_database()  # sealed
    assert [m.role for m in TaskMessage.objects.filter(task=task)] == ["giver", "carrier", "receiver"]
    assert "msgprobe" not in repr(list(Event.objects.values_list("data", flat=True)))
    for member in (bob, driver, carla):
        client.force_login(member)
        page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
        assert page.count("msgprobe") == 3
        thread = page.split('id="messages"')[1].split("</section>")[0]
        assert "Bob" not in thread and "Carla" not in thread  # roles, never names
    # alice coordinates the collective: she sees the task, never its messages
    client.force_login(alice)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "msgprobe" not in page and 'id="messages"' not in page
    assert visible_messages(alice, task) == []
    with pytest.raises(lifecycle.TaskRefused):
        do_post_message(alice, task, "hello")
    client.post(reverse("plans:task_message", args=[task.pk]), {"text": "alice-probe"})
    assert TaskMessage.objects.filter(task=task).count() == 3  # alice's was refused
    # dmitri, of another collective, and a stranger of this one: no such task
    for outsider in (dmitri, volunteer("Koreatown")):
        client.force_login(outsider)
        assert client.get(reverse("plans:task", args=[task.pk])).status_code == 404
        assert client.post(reverse("plans:task_message", args=[task.pk]),
                           {"text": "x"}).status_code == 404


def test_a_message_is_bounded_and_goes_with_its_task(saturday_carry, bob, client):
    need, offer, driver, task = saturday_carry
    client.force_login(bob)
    response = client.post(reverse("plans:task_message", args=[task.pk]), {"text": "x" * 501})
    assert response.status_code == 400 and "at most 500 characters" in response.content.decode()
    assert not TaskMessage.objects.exists()
    do_post_message(bob, task, "see you")
    assert do_housekeeping()["messages_deleted"] == 0  # the task is live
    lifecycle.do_decline(driver, task)
    assert do_housekeeping()["messages_deleted"] == 1  # ended: its messages go
    do_post_message(bob, Task.objects.create(
        run=task.run, allocation=task.allocation, need=need, offer=offer, quantity=task.quantity,
        kind="handover", state="proposed", carrier=bob, window_start=task.window_start,
        window_end=task.window_end), "again")
    need.delete()
    assert not TaskMessage.objects.exists()


# --- presence at an action --------------------------------------------------------------------

def test_a_presence_task_names_the_action_its_place_and_start_in_people_and_hours(
        wednesday, la, alice, bob, offer_of, client):
    from sinfronteras.organizing.forms import ActionForm
    from sinfronteras.organizing.services import do_create_action, people_coming

    form = ActionForm({"title": "Koreatown rally", "area": la.areas.get(name="Koreatown").pk,
                       "day": "2026-12-12", "hour": "11:00", "copies": 0, "people": 4,
                       "hours_each": "3"}, member=alice)
    assert form.is_valid(), form.errors
    action = do_create_action(alice, form)
    presence = la.resources.get(key="presence")
    offer_of(bob, ["presence"], 3, area=action.area)
    assert presence.in_person
    run = plan_now(la, alice)
    task = Task.objects.get(run=run, need__action_link__action=action)
    assert (task.window_start, task.window_end, task.timed) == (
        datetime(2026, 12, 12, 11, tzinfo=LA), datetime(2026, 12, 12, 14, tzinfo=LA), True)
    client.force_login(bob)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "Be at “Koreatown rally” in Koreatown on Saturday, December 12 at 11:00 AM for 3 hours." in page
    assert people_coming(action) == {"asked": 4, "hours_each": 3, "planned": 1, "confirmed": 0}
    lifecycle.do_accept(bob, task)
    client.force_login(alice)
    page = client.get(reverse("organizing:action", args=[action.pk])).content.decode()
    assert "1 person coming of 4 asked for, 3 hours each" in page
    assert "4 people × 3 hours" in page


def test_rotation_reseals_the_messages_too(saturday_carry, bob, settings):
    import io

    from django.core.management import call_command

    need, offer, driver, task = saturday_carry
    do_post_message(bob, task, "by the blue door")
    settings.SEAL_KEYS = [Fernet.generate_key().decode(), settings.SEAL_KEYS[0]]
    call_command("rotatekeys", stdout=io.StringIO())
    settings.SEAL_KEYS = settings.SEAL_KEYS[:1]  # the old key dropped
    assert [m.text for m in visible_messages(bob, task)] == ["by the blue door"]
