"""A replan keeps its word: the same tasks, and a reason for each one it must drop.

Real plan runs (the planner, its stability stage, the carriers stage, the store) on
SQLite; the fewest-changes check compares with the LP oracle of the planning tests.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import time_machine
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from conftest import area
from plans_fixtures import carrier_of, carrying, plan_now, volunteer  # noqa: F401
from sinfronteras.planning import Problem, plan
from sinfronteras.plans.alerts import do_lift_alert, do_raise_alert
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import Task, TaskMessage
from sinfronteras.plans.problem import snapshot
from sinfronteras.plans.task_messages import do_post_message
from sinfronteras.sharing.models import Offer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "planning"))
from test_plan_stability import oracle  # noqa: E402  (the planning tests' LP oracle)

MESSAGE = "ring twice at the side door"


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a Spanish page leaves no Spanish behind


@pytest.fixture
def city(la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """Two givers, four families, a driver: carries and hand-overs, everything met."""
    families = [carla, volunteer("Boyle Heights"), volunteer("Echo Park"), volunteer("Koreatown")]
    needs = [need_of(f, "food", q) for f, q in zip(families, [3, 3, 2, 2])]
    offer_of(bob, ["food"], 6, radius_km=Decimal("20"))
    offer_of(volunteer("Boyle Heights"), ["food"], 4, radius_km=Decimal("20"))
    driver = volunteer("Koreatown")
    carrier_of(driver, 12, radius_km=20)
    return families, needs, driver


def live_tasks():
    return {t.pk: (t.offer_id, t.need_id, t.quantity, t.state, t.carrier_id, t.window_start, t.window_end)
            for t in Task.objects.filter(state__in=["open", "proposed", "accepted"])}


def test_a_replan_with_nothing_changed_keeps_every_task_id_and_message(client, la, alice, city):
    families, needs, driver = city
    first = plan_now(la, alice)
    assert first.status == "done", first.error
    tasks = list(Task.objects.all())
    assert len(tasks) >= 4 and {t.kind for t in tasks} == {"carry", "handover"}
    for task in tasks:
        do_post_message(task.need.posted_by, task, MESSAGE)
    before = live_tasks()
    held = dict(Offer.objects.values_list("pk", "committed_milli"))
    again = plan_now(la, alice)
    assert again.status == "done", again.error
    assert live_tasks() == before
    assert not Task.objects.filter(state="superseded").exists()
    assert set(Task.objects.values_list("run_id", flat=True)) == {again.pk}
    assert dict(Offer.objects.values_list("pk", "committed_milli")) == held
    assert [m.text for m in TaskMessage.objects.order_by("task_id")] == [MESSAGE] * len(tasks)
    kept = again.summary["plan"]["previous"]
    assert kept["matched"] == kept["kept"] == kept["unchanged"] == len(tasks)
    assert again.summary["replan"] == {"told": len(tasks), "kept": len(tasks), "dropped": 0}
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert (f"Of the {len(tasks)} deliveries their people had already been told about, the plan kept "
            f"{len(tasks)} as they were promised") in page


def _kept(before: dict, after: dict) -> Decimal:
    return sum((min(q, after[pk][2]) for pk, (_, _, q, *_) in before.items() if pk in after), Decimal(0))


def test_after_one_new_need_the_fewest_tasks_change_that_the_stability_stage_allows(
        la, alice, city, need_of, volunteer):
    plan_now(la, alice)
    before = live_tasks()
    need_of(volunteer("Boyle Heights"), "food", 4, urgent=True)  # tier 1: shares move
    doc = snapshot(la).problem
    assert len(doc["previous"]) == len(before)
    with_previous = plan(Problem.from_json(doc))
    most, _ = oracle(doc, with_previous.met)
    run = plan_now(la, alice)
    after = live_tasks()
    # The tasks keep as much of what their people were told as the oracle says can be kept.
    assert float(_kept(before, after)) == pytest.approx(most, abs=1e-3)
    prev = run.summary["plan"]["previous"]
    dropped = [pk for pk in before if pk not in after]
    assert len(dropped) == prev["matched"] - prev["kept"]
    changed = [pk for pk in before if pk not in after or after[pk][2] != before[pk][2]]
    assert len(changed) == prev["matched"] - prev["unchanged"]
    # Least distance alone, blind to the previous plan, keeps less.
    blind = plan(Problem.from_json({k: v for k, v in doc.items() if k != "previous"}))
    told = {(p["offer"], p["need"]): p["quantity"] for p in doc["previous"]}
    blind_kept = sum(min(a.quantity, told.get((a.offer, a.need), 0.0)) for a in blind.allocations)
    assert most >= blind_kept - 1e-9
    assert np.array_equal(blind.met, with_previous.met)
    assert Task.objects.filter(pk__in=dropped, dropped_reason="replanned").count() == len(dropped)


@pytest.fixture
def carry(la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """Bob (Echo Park) gives carla (Boyle Heights) 5 kg; a driver has the carry proposed."""
    need = need_of(carla, "food", 5)
    offer_of(bob, ["food"], 5, radius_km=Decimal("20"))
    driver = volunteer("Koreatown")
    carrier_of(driver, 3)
    plan_now(la, alice)
    task = Task.objects.get(need=need)
    assert (task.kind, task.state, task.carrier_id) == ("carry", "proposed", driver.pk)
    return need, task, driver


@pytest.mark.parametrize("language, says", [
    ("en", "The plan was made again"), ("es", "El plan se hizo de nuevo")])
def test_a_dropped_task_says_why_to_the_family_the_carrier_and_the_giver_and_tells_them(
        client, la, alice, bob, carla, carry, need_of, volunteer, language, says,
        django_capture_on_commit_callbacks):
    need, task, driver = carry
    do_post_message(carla, task, MESSAGE)
    neighbour = volunteer("Echo Park")
    need_of(neighbour, "food", 5, urgent=True)  # a stronger claim: urgent, beside the giver
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_now(la, alice)
    task.refresh_from_db()
    assert (task.state, task.dropped_reason) == ("superseded", "replanned")
    assert not Task.objects.filter(run=run, need=need).exists()
    told = [row["args"] for row in DBTaskResult.objects.filter(
        task_path="sinfronteras.notify.jobs.fan_out").values_list("args_kwargs", flat=True)]
    assert [sorted([carla.pk, driver.pk, bob.pk]), "task_dropped", None] in told
    for person, page in [(carla, "plans:tasks"), (driver, "plans:tasks"), (bob, "plans:tasks"),
                         (carla, "task"), (driver, "task")]:
        type(person).objects.filter(pk=person.pk).update(language=language)
        client.force_login(person)
        url = reverse("plans:task", args=[task.pk]) if page == "task" else reverse(page)
        html = client.get(url).content.decode()
        assert says in html, (person, page)
        assert MESSAGE not in html or page == "task"  # the words stay on the task's page only
    assert MESSAGE in client.get(reverse("plans:task", args=[task.pk])).content.decode()
    type(alice).objects.filter(pk=alice.pk).update(language=language)
    client.force_login(alice)
    page = client.get(reverse("plans:plan")).content.decode()
    assert 'id="replan"' in page and ("dropped 1," if language == "en" else "quitó 1,") in page


def test_a_false_alarm_lifted_after_a_minute_gives_every_paused_task_back_as_it_was(
        la, alice, city):
    plan_now(la, alice)
    for task in Task.objects.all():
        do_post_message(task.need.posted_by, task, MESSAGE)
    before = live_tasks()
    held = dict(Offer.objects.values_list("pk", "committed_milli"))
    alert = do_raise_alert(alice, area(la, "Boyle Heights"), 6)
    paused = Task.objects.filter(state="superseded", dropped_reason="alert", paused_by=alert)
    assert paused.exists()
    do_housekeeping()  # the worker tidies up meanwhile: the paused tasks keep their messages
    assert TaskMessage.objects.count() == len(before)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        do_lift_alert(alice, alert)
    assert live_tasks() == before
    assert not Task.objects.filter(state="superseded").exists()
    assert dict(Offer.objects.values_list("pk", "committed_milli")) == held
    run = plan_now(la, alice)
    assert live_tasks().keys() == before.keys() and run.summary["plan"]["previous"]["unchanged"] == len(before)
    assert TaskMessage.objects.count() == len(before)


def test_an_alert_that_ends_by_itself_gives_its_tasks_back_at_the_next_plan(la, alice, carry):
    need, task, driver = carry
    do_post_message(need.posted_by, task, MESSAGE)
    do_raise_alert(alice, area(la, "Echo Park"), 2)  # the giver's side
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        run = plan_now(la, alice)
    task.refresh_from_db()
    assert (task.state, task.run_id, task.dropped_reason, task.paused_by) == ("proposed", run.pk, "", None)
    assert [m.text for m in task.messages.all()] == [MESSAGE]


def test_a_paused_task_whose_offer_went_elsewhere_stays_dropped_with_its_reason(
        la, alice, carry, need_of, volunteer):
    need, task, driver = carry
    alert = do_raise_alert(alice, area(la, "Boyle Heights"), 6)
    need_of(volunteer("Echo Park"), "food", 5)  # planned while carla's area is paused
    plan_now(la, alice)
    do_lift_alert(alice, alert)
    task.refresh_from_db()
    assert (task.state, task.dropped_reason) == ("superseded", "alert")


@pytest.mark.parametrize("language, state", [("en", "proposed"), ("es", "propuesta")])
def test_the_task_page_still_renders_after_a_replan_with_its_messages(
        client, la, alice, carry, language, state):
    need, task, driver = carry
    do_post_message(need.posted_by, task, MESSAGE)
    plan_now(la, alice)
    type(driver).objects.filter(pk=driver.pk).update(language=language)
    client.force_login(driver)
    response = client.get(reverse("plans:task", args=[task.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and MESSAGE in html and 'id="task-dropped"' not in html
    assert f'<span id="task-state">{state}' in html
    listed = client.get(reverse("plans:tasks")).content.decode()
    assert f'id="task-{task.pk}"' in listed and 'id="dropped"' not in listed


def test_a_carry_keeps_its_carrier_when_a_nearer_one_offers_after_it_was_proposed(
        la, alice, carry, volunteer, carrier_of):
    need, task, driver = carry
    carrier_of(volunteer("Echo Park"), 5, radius_km=20)  # beside the giver
    plan_now(la, alice)
    task.refresh_from_db()
    assert (task.state, task.carrier_id) == ("proposed", driver.pk)
    assert Task.objects.filter(need=need).count() == 1
