"""Every person of a carry (giver -> carrier -> family) knows their part.

The giver is told and asked where to pick it up; a carry whose giver never says goes
back to the plan after the hours the members decided; the carrier reads when the sealed
places open and what is still missing, and cannot mark it done before the window; the
family gets a badge and a note for a new message, one link a delivery; a need's days and
hours are on its card, and Home and *My tasks* give the same reason for a need not met.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.audit.models import Event
from sinfronteras.notify.channels import Channel, register, unregister
from sinfronteras.plans import lifecycle
from sinfronteras.plans.addresses import do_seal_address, do_seal_pickup
from sinfronteras.plans.compute import NO_COMMON_TIME
from sinfronteras.plans.handover import window_text
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import NeedOutcome, SealedPickup, Task, TaskState
from sinfronteras.plans.task_messages import do_post_message, visible_messages
from sinfronteras.sharing.models import Slot

LA = ZoneInfo("America/Los_Angeles")
WEDNESDAY = datetime(2026, 12, 9, 9, 0, tzinfo=LA)  # the coming Saturday is 12 December
SAT = 5
PICKUP = "Back door of 12 Calle Recogida (pickprobe-77a)"


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture(autouse=True)
def english_afterwards():
    """A page read in Spanish leaves this thread's language Spanish: give English back."""
    yield
    translation.activate("en")


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


class Tally(Channel):
    name = "tally"

    def wants(self, member, kind):
        return True


@pytest.fixture
def tally():
    register(Tally())
    yield
    unregister("tally")


def told() -> list[tuple[int, str, str]]:
    """(member, kind, page) of every note queued for a channel."""
    return sorted((row["args"][0], row["args"][1], row["args"][2]) for row in DBTaskResult.objects
                  .filter(task_path="sinfronteras.notify.jobs.deliver").values_list("args_kwargs", flat=True))


def fan_out_all():
    """What the worker does with the queued fan-outs."""
    for job in DBTaskResult.objects.filter(task_path="sinfronteras.notify.jobs.fan_out"):
        job.task.func(*job.args_kwargs["args"])
    DBTaskResult.objects.filter(task_path="sinfronteras.notify.jobs.fan_out").delete()


def slots(owner, *spans):
    field = "need" if owner._meta.model_name == "need" else "offer"
    for weekday, start, end in spans:
        Slot.objects.create(**{field: owner}, weekday=weekday, start=time(start), end=time(end))


@pytest.fixture
def carry(wednesday, la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of, tally,
          django_capture_on_commit_callbacks):
    """Carla (Boyle Heights) receives on Saturdays 9-12; bob (Echo Park) gives on Saturdays
    10-13, with no public place and no pickup point; a driver (Koreatown) carries on
    Saturdays 11-14. The plan makes one carry, Saturday 11:00-12:00."""
    need = need_of(carla, "food", 5)
    slots(need, (SAT, 9, 12))
    offer = offer_of(bob, ["food"], 5)
    slots(offer, (SAT, 10, 13))
    driver = volunteer("Koreatown")
    slots(carrier_of(driver, 3), (SAT, 11, 14))
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_now(la, alice)
    assert run.status == "done", run.error
    fan_out_all()
    task = Task.objects.get(run=run, need=need)
    assert (task.kind, task.state, task.carrier_id) == ("carry", "proposed", driver.pk)
    return need, offer, driver, task


def page(client, member, name, *args, language="en") -> str:
    """The page as the member reads it, in their language."""
    type(member).objects.filter(pk=member.pk).update(language=language)
    member.language = language
    client.force_login(member)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</li>", start)]


# --- the giver ------------------------------------------------------------------------------

def test_the_giver_of_a_carry_finds_it_on_my_tasks_and_is_told(carry, bob, client):
    need, offer, driver, task = carry
    assert (bob.pk, "carry_planned", "/tasks/") in told()
    html = page(client, bob, "plans:tasks")
    assert "No tasks for you now" not in html
    mine = card(html, f"task-{task.pk}")
    assert "Echo Park → Boyle Heights" in mine
    assert "A carrier picks it up and takes it to the person in need in Boyle Heights." in mine
    assert "Saturday, December 12, 11:00 AM–12:00 PM" in mine  # the carrier's window
    assert "You have not given a pickup point yet" in mine and 'name="address"' in mine
    # 24 hours after the plan (Wednesday 09:00), or the carry goes back to the plan
    assert "Give one by Thursday, December 10 at 9:00 AM, or the carry goes back" in mine
    assert "a más tardar el jueves 10 de diciembre a las 09:00" in page(
        client, bob, "plans:task", task.pk, language="es")
    assert "Carla" not in mine and driver.display_name not in mine  # roles, never names


def test_the_giver_gives_the_pickup_point_right_there_and_reads_that_it_is_set(carry, bob, client):
    need, offer, driver, task = carry
    client.force_login(bob)
    response = client.post(reverse("plans:offer_pickup", args=[offer.pk]), {"address": PICKUP,
                                                                            "from": "tasks"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:tasks")
    assert SealedPickup.objects.filter(offer=offer).exists()
    mine = card(page(client, bob, "plans:tasks"), f"task-{task.pk}")
    assert "Picked up at the pickup point you sealed." in mine and 'name="address"' not in mine
    assert "pickprobe" not in mine
    html = page(client, bob, "plans:task", task.pk)
    assert 'id="pickup-set"' in html and 'id="ask-pickup"' not in html and "pickprobe" not in html


def test_the_giver_can_give_it_on_the_task_page_and_an_empty_one_is_refused_there(
        carry, bob, client):
    need, offer, driver, task = carry
    html = page(client, bob, "plans:task", task.pk)
    assert 'id="ask-pickup"' in html and "Where will the carrier pick it up?" in html
    url = reverse("plans:offer_pickup", args=[offer.pk])
    response = client.post(url, {"address": "  ", "task": task.pk})
    assert response.status_code == 400 and 'id="ask-pickup"' in response.content.decode()
    assert "error-address" in response.content.decode()
    assert not SealedPickup.objects.exists()
    response = client.post(url, {"address": PICKUP, "task": task.pk})
    assert response["Location"] == reverse("plans:task", args=[task.pk])
    assert SealedPickup.objects.filter(offer=offer).exists()


def test_a_giver_at_a_public_place_is_not_asked_for_a_pickup_point(carry, bob, client):
    need, offer, driver, task = carry
    type(offer).objects.filter(pk=offer.pk).update(public_place="Iglesia San Juan, side door")
    mine = card(page(client, bob, "plans:tasks"), f"task-{task.pk}")
    assert "Picked up at Iglesia San Juan, side door." in mine and 'name="address"' not in mine
    html = page(client, driver, "plans:task", task.pk)
    assert "The giver has not given a pickup point yet." not in html
    assert "The delivery address shows here from Saturday, December 12 at 11:00 AM" in html


def test_a_carry_whose_giver_gives_no_pickup_point_in_time_goes_back_to_the_plan(
        carry, la, alice, bob, carla, client, wednesday):
    need, offer, driver, task = carry
    held = type(offer).objects.get(pk=offer.pk).committed_milli
    assert held == 5000
    wednesday.shift(timedelta(hours=23))
    assert do_housekeeping()["carries_without_pickup"] == 0  # the giver still has time
    wednesday.shift(timedelta(hours=2))
    assert do_housekeeping()["carries_without_pickup"] == 1
    assert do_housekeeping()["carries_without_pickup"] == 0  # once
    task.refresh_from_db()
    assert task.state == TaskState.NO_PICKUP
    assert type(offer).objects.get(pk=offer.pk).committed_milli == 0  # given back
    assert Event.objects.get(action="plan.no_pickup").data == {"tasks": 1, "hours": 24}
    html = page(client, carla, "plans:plan")
    assert 'id="no-pickup"' in html and "no pickup point within 24 hours" in html
    html = page(client, carla, "plans:plan", language="es")
    assert "no dio un punto de recogida en las 24 horas" in html
    assert "back to the plan: no pickup point" in page(client, driver, "plans:task", task.pk)
    assert plan_now(la, alice).status == "done"  # the next plan looks for it again
    assert Task.objects.filter(need=need, state__in=["open", "proposed"]).exists()


def test_a_sealed_pickup_point_keeps_the_carry_and_the_hours_are_the_members_decision(
        carry, la, bob, wednesday):
    from sinfronteras.members.services import do_change_setting

    need, offer, driver, task = carry
    do_change_setting(la, "pickup_hours", 48, decision_ref=1)
    wednesday.shift(timedelta(hours=30))
    assert do_housekeeping()["carries_without_pickup"] == 0  # 48 hours now
    do_seal_pickup(offer, PICKUP)
    wednesday.shift(timedelta(hours=20))
    assert do_housekeeping()["carries_without_pickup"] == 0  # it has one
    task.refresh_from_db()
    assert task.state == TaskState.PROPOSED


def test_the_pickup_hours_are_changed_only_by_a_whole_number_of_hours_from_1_to_168(la, alice):
    from sinfronteras.assembly.proposing import SettingForm

    def errors(value):
        form = SettingForm({"title": "Two days for pickup points", "kind": "majority",
                            "change": "pickup_hours", "change_value": value,
                            "closes_at": "2030-05-01T18:00"}, member=alice)
        form.is_valid()
        return form.errors.get("change_value", [])

    assert errors("48") == []
    for wrong in ("0", "169", "1.5"):
        assert errors(wrong) == ["Give a whole number from 1 to 168."]


# --- the carrier ----------------------------------------------------------------------------

@pytest.mark.parametrize("language, opens, missing", [
    ("en", "The pickup point and the delivery address show here from Saturday, December 12 at 11:00 AM",
     "The giver has not given a pickup point yet."),
    ("es", "se muestran aquí desde el sábado 12 de diciembre a las 11:00",
     "Quien da aún no ha dado un punto de recogida."),
])
def test_the_carrier_reads_when_the_places_open_and_what_is_still_missing(
        carry, client, language, opens, missing):
    need, offer, driver, task = carry
    html = page(client, driver, "plans:task", task.pk, language=language)
    assert opens in html and missing in html
    do_seal_pickup(offer, PICKUP)
    do_seal_address(need, "1 Calle Familia")
    html = page(client, driver, "plans:task", task.pk, language=language)
    assert opens in html and missing not in html and 'id="missing"' not in html


def test_mark_done_is_not_offered_and_is_refused_before_the_window(carry, client, wednesday):
    need, offer, driver, task = carry
    lifecycle.do_accept(driver, task)
    html = page(client, driver, "plans:task", task.pk)
    assert "Mark done" not in html
    assert "You can mark it done from Saturday, December 12 at 11:00 AM" in html
    with pytest.raises(lifecycle.TaskRefused, match="from Saturday, December 12 at 11:00 AM"):
        lifecycle.do_done(driver, task)
    response = client.post(reverse("plans:task_action", args=[task.pk, "done"]), {"confirm": "yes"},
                           follow=True)
    assert "Not yet: the delivery" in response.content.decode()
    task.refresh_from_db()
    assert task.state == "accepted"
    wednesday.move_to(task.window_start + timedelta(minutes=5))
    html = page(client, driver, "plans:task", task.pk)
    assert "Mark done" in html and 'id="done-from"' not in html
    lifecycle.do_done(driver, task)
    task.refresh_from_db()
    assert task.state == "done"
    html = page(client, offer.posted_by, "plans:task", task.pk)  # the giver, afterwards
    assert 'id="ask-pickup"' not in html and 'id="pickup-set"' not in html


def test_an_untimed_delivery_has_no_clock_and_says_a_time_is_agreed_in_the_messages(
        wednesday, la, alice, bob, carla, need_of, offer_of, client):
    need = need_of(carla, "food", 5, area=bob.area, needed_by=datetime(2026, 12, 14).date())
    offer_of(bob, ["food"], 5)
    task = Task.objects.get(run=plan_now(la, alice), need=need)
    with translation.override("en"):
        assert window_text(task) == "By Monday, December 14, no time set yet"
    with translation.override("es"):
        assert window_text(task) == "Hasta el lunes 14 de diciembre, aún sin hora fijada"
    html = page(client, carla, "plans:task", task.pk)
    assert "23:59" not in html and "the carrier writes in the messages below" in html
    html = page(client, bob, "plans:task", task.pk)  # bob hands it over himself
    assert "write to the others in the messages below to agree one" in html
    assert "Hand-over in Echo Park" in card(page(client, bob, "plans:tasks"), f"task-{task.pk}")


# --- the family -----------------------------------------------------------------------------

def test_the_family_gets_a_badge_and_a_note_for_a_new_message(
        carry, bob, carla, client, django_capture_on_commit_callbacks):
    need, offer, driver, task = carry
    assert 'id="tasks-unread"' not in page(client, carla, "home")
    with django_capture_on_commit_callbacks(execute=True):
        do_post_message(driver, task, "I will ring twice")
    fan_out_all()
    path = f"/tasks/{task.pk}/"
    assert (carla.pk, "task_message", path) in told() and (bob.pk, "task_message", path) in told()
    assert (driver.pk, "task_message", path) not in told()  # not the writer
    html = page(client, carla, "home")
    assert 'id="tasks-unread"' in html and "new messages" in html
    assert 'id="tasks-unread"' not in page(client, driver, "home")  # the writer's own
    assert "new-message" in card(page(client, carla, "plans:tasks"), f"need-state-{need.pk}")
    page(client, carla, "plans:task", task.pk)  # read
    assert 'id="tasks-unread"' not in page(client, carla, "home")
    assert "new-message" not in card(page(client, carla, "plans:tasks"), f"need-state-{need.pk}")


def test_the_menu_reads_both_of_a_carriers_badges_with_one_query(carry, carla):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinfronteras.members.models import Member
    from sinfronteras.plans.context import badges

    need, offer, driver, task = carry
    do_post_message(carla, task, "Llámame al llegar")
    fresh = Member.objects.get(pk=driver.pk)  # a new request's member: nothing read yet
    with CaptureQueriesContext(connection) as queries:
        waiting, unread = badges(fresh)
    assert len(queries) == 1
    assert waiting == Task.objects.filter(carrier=driver, state=TaskState.PROPOSED).count() >= 1
    assert unread == 1
    lifecycle.do_accept(driver, task)
    assert badges(Member.objects.get(pk=driver.pk)) == (waiting - 1, 1)


def test_one_delivery_shows_one_link(carry, carla, client):
    need, offer, driver, task = carry
    # a second share of the same need, brought by the same carrier in the same window
    from sinfronteras.plans.models import Allocation

    share = Allocation.objects.create(run=task.run, offer=offer, need=need, quantity=Decimal(1))
    twin = Task.objects.create(run=task.run, allocation=share, need=need, offer=offer,
                               quantity=Decimal(1), kind="carry", state="proposed", carrier=driver,
                               window_start=task.window_start, window_end=task.window_end, timed=True)
    Task.objects.filter(pk=task.pk).update(quantity=Decimal(4))
    assert twin.pk != task.pk
    mine = card(page(client, carla, "plans:tasks"), f"need-state-{need.pk}")
    assert mine.count('class="talk"') == 1 and "The delivery of 5 kg (" in mine


def test_a_declined_carrier_no_longer_reads_the_messages(carry, bob, client):
    need, offer, driver, task = carry
    do_post_message(bob, task, "msgprobe-side-door")
    lifecycle.do_decline(driver, task)
    task.refresh_from_db()
    assert visible_messages(driver, task) == []
    client.force_login(driver)
    response = client.get(reverse("plans:task", args=[task.pk]))
    assert "msgprobe" not in response.content.decode()
    with pytest.raises(lifecycle.TaskRefused):
        do_post_message(driver, task, "still here?")
    from sinfronteras.plans.models import TaskSeen

    assert TaskSeen.objects.filter(task=task).exists()  # bob wrote, so bob had read it
    do_housekeeping()
    assert not TaskSeen.objects.filter(task=task).exists()  # the task ended: gone with its messages


# --- a need's card --------------------------------------------------------------------------

def test_a_need_shows_its_days_and_hours_and_one_with_none_reads_any_time(
        wednesday, la, carla, need_of, client):
    timed = need_of(carla, "food", 2)
    slots(timed, (SAT, 9, 12))
    any_time = need_of(carla, "diapers", 1)
    for name in ("home", "plans:tasks"):
        html = page(client, carla, name)
        assert "Days and hours: Saturdays 09:00–12:00" in html
        assert "Any day and time" in html
    html = page(client, carla, "home", language="es")
    assert "Cualquier día y hora" in html
    assert any_time.pk


def test_a_need_with_no_days_and_hours_is_never_told_to_add_more(
        wednesday, la, alice, bob, carla, need_of, offer_of, client):
    need = need_of(carla, "food", 5)  # any time
    # what the plan records when the giver's days and hours found no window before the date
    NeedOutcome.objects.update_or_create(run=plan_now(la, alice), need=need, defaults={
        "met": 0, "fraction": 0, "tier": 2, "reason": NO_COMMON_TIME})
    for name in ("home", "plans:tasks"):
        html = page(client, carla, name)
        assert "add more days and hours" not in html
        assert "did not come round before your date" in html


def test_home_and_my_tasks_say_the_same_about_a_need_the_plan_could_not_meet(
        wednesday, la, alice, carla, need_of, client):
    need = need_of(carla, "legal-help", 2)  # nobody offers it
    assert "open: not planned yet" in page(client, carla, "home")
    plan_now(la, alice)
    home, tasks = page(client, carla, "home"), page(client, carla, "plans:tasks")
    for html in (home, tasks):
        assert "open: the last plan found none of it" in html
        assert "open: not planned yet" not in html
        assert "Nobody offers this within reach of your area yet." in html
    assert "abierta: el último plan no encontró nada" in page(client, carla, "home", language="es")
    assert need.pk


def test_the_need_card_says_which_date_is_the_deadline_and_which_the_delivery(
        carry, carla, client):
    need, offer, driver, task = carry
    type(need).objects.filter(pk=need.pk).update(needed_by=datetime(2026, 12, 18).date())
    lifecycle.do_accept(driver, task)
    html = page(client, carla, "home", language="es")
    assert "se necesita para el" in html and "llega a más tardar el" in html
    assert html.count("para el") == 1


# --- offers ---------------------------------------------------------------------------------

def test_a_carrying_offer_has_no_pickup_link_and_a_goods_offer_says_whether_one_is_set(
        carry, bob, client):
    need, offer, driver, task = carry
    html = page(client, driver, "offers")
    assert "pickup point" not in html.lower()
    html = page(client, bob, "offers")
    assert "Add a pickup point (sealed)" in html
    do_seal_pickup(offer, PICKUP)
    html = page(client, bob, "offers")
    assert "Pickup point: sealed (change it)" in html and "Add a pickup point" not in html


# --- a dead plan run ------------------------------------------------------------------------

def test_housekeeping_fails_a_run_whose_worker_went_silent_for_the_stale_seconds(
        la, alice, settings):
    from django.utils import timezone

    from sinfronteras.plans.jobs import watch_run
    from sinfronteras.plans.models import PlanRun

    settings.PLAN_RUN_STALE_SECONDS = 120
    now = timezone.now()
    run = PlanRun.objects.create(collective=la, status="running", started_at=now,
                                 heartbeat_at=now - timedelta(seconds=100))
    assert do_housekeeping(now)["plan_runs_failed"] == 0  # heard from 100 s ago
    assert do_housekeeping(now + timedelta(seconds=21))["plan_runs_failed"] == 1
    run.refresh_from_db()
    assert run.status == "failed" and "nothing was changed" in run.error
    # the watch a worker leaves for its run does the same, whichever worker runs it
    other = PlanRun.objects.create(collective=la, status="running", started_at=now,
                                   heartbeat_at=now - timedelta(seconds=121))
    assert watch_run.func(other.pk) == "failed"


def test_a_run_leaves_a_watch_for_when_it_would_be_stale(la, alice, settings):
    from django.utils import timezone

    settings.PLAN_RUN_STALE_SECONDS = 120
    run = plan_now(la, alice)
    assert run.status == "done"
    watch = DBTaskResult.objects.get(task_path="sinfronteras.plans.jobs.watch_run")
    assert watch.args_kwargs["args"] == [run.pk]
    assert watch.run_after > timezone.now() + timedelta(seconds=100)
    assert watch.task.func(run.pk) == "over"  # a finished run needs no watch


def test_the_members_give_givers_two_days_for_a_pickup_point_by_decision(la, alice, bob, carla):
    from assembly_helpers import end_window, propose
    from sinfronteras.assembly.services import do_close, do_vote

    assert la.pickup_hours == 24  # the default
    proposal = propose(alice, kind="majority", change="pickup_hours", change_value="48")
    for member in (alice, bob, carla):
        do_vote(member, proposal, {"answer": "yes"})
    assert do_close(end_window(proposal)).passed
    la.refresh_from_db()
    assert la.pickup_hours == 48
    assert Event.objects.get(action="settings.changed").data["setting"] == "pickup_hours"
