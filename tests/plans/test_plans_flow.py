"""A coordinator makes the plan; volunteers see, accept and finish their tasks."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from sinfronteras.plans.models import PlanRun, Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Resource


@pytest.fixture
def carrying(la):
    return Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                   name_es="Transporte", unit="hours", carries=True)


@pytest.fixture
def small_world(la, alice, bob, carla, carrying, need_of, offer_of):
    """Carla (Boyle Heights) needs food; Bob (Echo Park) gives it; Alice carries."""
    need = need_of(carla, "food", 5, urgent=True)
    food = offer_of(bob, ["food"], 8, radius_km=Decimal("20"))
    carry = offer_of(alice, ["carrying"], 4, radius_km=Decimal("15"))
    return need, food, carry


def make_plan(collective, who=None):
    return execute_run(do_request_run(collective, who, enqueue=False).pk)


def test_a_plan_run_allocates_and_makes_a_carry_task_for_the_carrier(small_world, la, alice):
    need, food, carry = small_world
    run = make_plan(la)
    assert run.status == "done", run.error
    task = Task.objects.get()
    assert (task.need, task.offer, task.quantity, task.kind) == (need, food, Decimal("5"), "carry")
    assert (task.carrier, task.carrier_offer, task.state) == (alice, carry, "proposed")
    food.refresh_from_db()
    assert food.committed_milli == 5000
    assert run.summary["plan"]["tiers"]["1"]["fully_met"] == 1
    assert run.summary["greedy"]["tiers"]["1"]["needs"] == 1


def test_a_hand_over_in_one_area_needs_no_carrier(la, carla, need_of, offer_of, carrying):
    need_of(carla, "food", 2)
    giver = offer_of(carla, ["food"], 3)  # same area
    make_plan(la)
    task = Task.objects.get()
    assert task.kind == "handover" and task.carrier == carla and task.carrier_offer is None
    assert giver.pk == task.offer_id


def test_a_carry_without_any_carrier_is_reported_not_hidden(la, bob, carla, need_of, offer_of, carrying):
    need_of(carla, "food", 2)
    offer_of(bob, ["food"], 3)
    run = make_plan(la)
    task = Task.objects.get()
    assert task.state == "open" and task.carrier is None
    assert [u["need"] for u in run.summary["carriers"]["uncarried"]] == [task.need_id]


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_the_worker_carries_out_a_queued_run(small_world, la, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_run(la, alice)
    assert PlanRun.objects.get(pk=run.pk).status == "queued"
    call_command("db_worker", "--batch", "--interval", "0")
    run.refresh_from_db()
    assert run.status == "done" and Task.objects.count() == 1


def test_replanning_keeps_the_proposal_and_holds_what_it_held_once(small_world, la):
    make_plan(la)
    first = Task.objects.get()
    second = make_plan(la)
    states = sorted(Task.objects.values_list("state", flat=True))
    assert states == ["proposed"]
    _, food, carry = small_world
    food.refresh_from_db()
    carry.refresh_from_db()
    live = Task.objects.get(state="proposed")
    assert live.pk == first.pk and live.run_id == second.pk and live.allocation.run_id == second.pk
    assert food.committed_milli == 5000 and carry.committed_milli == int(live.hours * 1000)


def test_a_failed_plan_changes_nothing_and_says_why(small_world, la, monkeypatch):
    import sinfronteras.plans.jobs as jobs  # where a run calls store()

    def broken(run, outcome):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "store", broken)
    run = make_plan(la)
    assert run.status == "failed" and "disk full" in run.error
    assert not Task.objects.exists()
    monkeypatch.undo()
    assert make_plan(la).status == "done"


def test_the_plan_follows_the_decisions_in_force(small_world, la):
    from sinfronteras.members.services import do_change_setting

    do_change_setting(la, "default_radius_km", Decimal("30"), decision_ref=12)
    run = make_plan(la)
    assert run.decisions == [12] and run.parameters["default_radius_km"] == 30.0


def test_the_coordinator_page_shows_tiers_shortages_and_the_comparison(client, small_world, la, alice,
                                                                       need_of, carla):
    need_of(carla, "diapers", 3, urgent=True)  # nobody offers diapers
    make_plan(la, alice)
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert 'id="tiers"' in page and 'id="versus"' in page and "<svg" in page
    assert "3 packs of Diapers short in Boyle Heights" in page
    assert "no offer of it reaches this area" in page


def test_only_coordinators_make_the_plan(client, bob, la):
    client.force_login(bob)
    page = client.get(reverse("plans:plan"))
    assert page.status_code == 200 and reverse("plans:run").encode() not in page.content
    assert client.post(reverse("plans:run")).status_code == 403
    assert not PlanRun.objects.exists()


def test_pressing_make_the_plan_twice_queues_one_run(client, alice, la):
    client.force_login(alice)
    client.post(reverse("plans:run"))
    client.post(reverse("plans:run"))
    assert PlanRun.objects.count() == 1


def test_a_carrier_accepts_then_marks_done_and_the_need_is_fulfilled(client, small_world, la, alice):
    need, *_ = small_world
    make_plan(la)
    task = Task.objects.get()
    client.force_login(alice)
    assert client.get(reverse("plans:tasks")).content.decode().count(f"task-{task.pk}") == 1
    client.post(reverse("plans:task_action", args=[task.pk, "accept"]))
    client.post(reverse("plans:task_action", args=[task.pk, "done"]), {"confirm": "yes"})
    task.refresh_from_db()
    need.refresh_from_db()
    assert task.state == "done" and need.status == "fulfilled" and need.fulfilled_at


def test_a_declined_task_returns_to_the_pool_and_is_planned_again(client, small_world, la, alice):
    make_plan(la)
    task = Task.objects.get()
    client.force_login(alice)
    client.post(reverse("plans:task_action", args=[task.pk, "decline"]))
    task.refresh_from_db()
    _, food, carry = small_world
    food.refresh_from_db()
    assert task.state == "declined" and food.committed_milli == 0
    make_plan(la)
    assert Task.objects.filter(state="proposed").count() == 1


def test_the_person_in_need_sees_the_state_but_not_who_gives(client, small_world, la, alice, carla):
    from django.utils import timezone

    make_plan(la)
    client.force_login(carla)
    page = client.get(reverse("plans:tasks")).content.decode()
    assert "planned" in page and "Bob" not in page and "Alice" not in page.split("<main>")[1].split("<footer>")[0]
    task = Task.objects.get()
    client.force_login(alice)
    client.post(reverse("plans:task_action", args=[task.pk, "accept"]))
    client.force_login(carla)
    page = client.get(reverse("plans:tasks")).content.decode()
    task.refresh_from_db()
    day = timezone.localtime(task.window_end).strftime("%b %-d, %Y")  # one date format
    assert "on its way: " in page and f"expected by {day}" in page


def test_a_stranger_cannot_see_or_act_on_a_task(client, small_world, la, bob, dmitri):
    make_plan(la)
    task = Task.objects.get()
    client.force_login(dmitri)
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("plans:task_action", args=[task.pk, "accept"])).status_code == 404
    task.refresh_from_db()
    assert task.state == "proposed"


def test_replan_command_runs_now_and_refuses_an_unknown_collective(small_world, la, capsys):
    call_command("replan", "--now")
    assert "tier 1: 1 needs, 1 fully met" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError) as error:
        call_command("replan", "--collective", "nowhere")
    assert error.value.returncode == 2


def test_a_member_on_a_break_is_not_planned(small_world, la, alice):
    from datetime import timedelta

    from django.utils import timezone

    alice.on_break_until = timezone.localdate() + timedelta(days=7)
    alice.save()
    run = make_plan(la)
    task = Task.objects.get()
    assert task.state == "open" and task.carrier is None
    assert run.summary["counts"]["carriers"] == 0


def test_withdrawing_a_need_cancels_its_tasks_and_gives_back_what_they_held(small_world, la, carla):
    from sinfronteras.sharing.services import do_withdraw_need

    need, food, carry = small_world
    make_plan(la)
    do_withdraw_need(need, carla)
    task = Task.objects.get()
    food.refresh_from_db()
    carry.refresh_from_db()
    assert task.state == "superseded" and food.committed_milli == 0 and carry.committed_milli == 0


def test_a_carrier_who_withdraws_puts_the_carry_back_in_the_pool(small_world, la, alice):
    from sinfronteras.sharing.services import do_withdraw_offer

    need, food, carry = small_world
    make_plan(la)
    do_withdraw_offer(carry, alice)
    task = Task.objects.get()
    food.refresh_from_db()
    assert (task.state, task.carrier, task.carrier_offer) == ("open", None, None)
    assert food.committed_milli == 5000


def test_a_coordinator_withdrawing_someones_need_is_in_the_audit_log(client, small_world, la, alice):
    from sinfronteras.audit.models import Event

    need, *_ = small_world
    client.force_login(alice)
    client.post(reverse("need_withdraw", args=[need.pk]), {"confirm": "yes"})
    event = Event.objects.get(action="need.withdrawn")
    assert event.actor == alice and event.data == {"need": need.pk}
    assert 'data-action="need.withdrawn"' in client.get(reverse("audit")).content.decode()


def test_time_given_in_person_between_areas_needs_no_carrier(la, bob, carla, carrying, need_of, offer_of):
    childcare = la.resources.get(key="childcare")
    childcare.in_person = True
    childcare.save()
    need_of(carla, "childcare", 2)
    offer_of(bob, ["childcare"], 3, radius_km=Decimal("20"))
    make_plan(la)
    task = Task.objects.get()
    assert (task.kind, task.carrier, task.state) == ("handover", bob, "proposed")


def test_a_queued_run_no_worker_takes_fails_and_frees_the_next(small_world, la, settings):
    from datetime import timedelta

    from django.utils import timezone

    from sinfronteras.plans.runs import RunBusy, mark_stale_runs

    lost = do_request_run(la, enqueue=False)
    with pytest.raises(RunBusy):
        do_request_run(la, enqueue=False)
    mark_stale_runs(la, now=timezone.now() + timedelta(minutes=settings.PLAN_RUN_QUEUE_MINUTES + 1))
    lost.refresh_from_db()
    assert lost.status == "failed" and "db_worker" in lost.error
    assert make_plan(la).status == "done"


def test_a_plan_run_first_returns_tasks_past_their_window_to_the_pool(small_world, la):
    from datetime import timedelta

    from django.utils import timezone

    make_plan(la)
    old = Task.objects.get()
    Task.objects.filter(pk=old.pk).update(window_start=timezone.now() - timedelta(days=5),
                                          window_end=timezone.now() - timedelta(days=1))
    make_plan(la)
    old.refresh_from_db()
    assert old.state == "expired"
    assert Task.objects.filter(state="proposed").count() == 1


def test_names_are_shared_only_when_both_sides_agree(client, la, bob, carla, carrying, need_of, offer_of):
    need_of(carla, "food", 2)
    offer_of(bob, ["food"], 3)  # Echo Park to Boyle Heights: a carry, Bob gives
    make_plan(la)
    task = Task.objects.get()
    client.force_login(carla)
    client.post(reverse("plans:share_names", args=["need", task.need_id]))
    assert "From: Bob" not in client.get(reverse("plans:tasks")).content.decode()
    client.force_login(bob)
    client.post(reverse("plans:share_names", args=["task", task.pk]))
    assert "For: Carla" in client.get(reverse("plans:task", args=[task.pk])).content.decode()
    client.force_login(carla)
    assert "From: Bob" in client.get(reverse("plans:tasks")).content.decode()


def test_nobody_else_can_agree_for_the_person_in_need(client, la, bob, carla, carrying, need_of, offer_of):
    need = need_of(carla, "food", 2)
    offer_of(bob, ["food"], 3)
    make_plan(la)
    client.force_login(bob)
    assert client.post(reverse("plans:share_names", args=["need", need.pk])).status_code == 404
    assert not Task.objects.filter(receiver_shares_name=True).exists()


def test_the_chart_numbers_stay_numbers_in_spanish(client, small_world, la, alice):
    import re

    alice.language = "es"
    alice.save()
    make_plan(la)
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    shapes = " ".join(re.findall(r"<(?:rect|text) [^>]*>", svg))
    numbers = re.findall(r'\s(?:x|y|width|height)="([^"]*)"', shapes)
    assert numbers and all(re.fullmatch(r"-?[0-9.]+", n) for n in numbers), numbers


def _deliver(la, carrier):
    """Plan, then the carrier accepts and finishes the carry."""
    from sinfronteras.plans.lifecycle import do_accept, do_done

    make_plan(la)
    task = Task.objects.get(state="proposed", kind="carry")
    do_done(carrier, do_accept(carrier, task))
    return task


@pytest.mark.parametrize("weekly, carried_again", [(True, True), (False, False)])
def test_a_weekly_carrying_offer_comes_back_the_next_week_and_a_one_off_does_not(
        la, alice, bob, carla, carrying, need_of, offer_of, weekly, carried_again):
    from datetime import datetime, timedelta

    import time_machine
    from django.utils import timezone

    offer_of(bob, ["food"], 50, radius_km=Decimal("20"))
    carry = offer_of(alice, ["carrying"], 1, radius_km=Decimal("15"), weekly=weekly)
    monday = timezone.make_aware(datetime(2026, 11, 23, 10, 0))
    with time_machine.travel(monday, tick=False):
        need_of(carla, "food", 5)
        first = _deliver(la, alice)
        need_of(carla, "food", 4)
        make_plan(la)  # same week: the hour is used up
        assert Task.objects.filter(state="open").count() == 1
    with time_machine.travel(monday + timedelta(days=7), tick=False):
        run = make_plan(la)
        live = Task.objects.filter(state__in=["open", "proposed"]).get()
        assert (live.carrier_offer_id == carry.pk) is carried_again
        carry.refresh_from_db()
        assert carry.committed_milli == (int(live.hours * 1000) if carried_again else int(first.hours * 1000))
        assert run.status == "done"


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_housekeeping_keeps_itself_scheduled_while_a_worker_runs(small_world, la):
    from django_tasks_db.models import DBTaskResult

    from sinfronteras.plans.jobs import housekeeping

    make_plan(la)
    waiting = DBTaskResult.objects.filter(task_path=housekeeping.module_path, status="READY")
    assert waiting.count() == 1
    make_plan(la)
    assert waiting.count() == 1  # never two in the queue
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    DBTaskResult.objects.filter(pk=waiting.get().pk).update(
        run_after=timezone.now() - timedelta(seconds=1))  # its quarter of an hour has passed

    call_command("db_worker", "--batch", "--interval", "0")
    assert DBTaskResult.objects.filter(task_path=housekeeping.module_path,
                                       status="SUCCESSFUL").count() == 1
    assert waiting.count() == 1  # the next one is queued
