"""Housekeeping with time travel: retention of fulfilled needs (the members' setting),
expired tasks that give back what they held."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.utils import timezone

from plans_fixtures import carrier_of, carrying, milli, plan_now, volunteer  # noqa: F401
from sinfronteras.members.services import do_change_setting
from sinfronteras.plans import lifecycle
from sinfronteras.plans.addresses import do_seal_address
from sinfronteras.plans.housekeeping import do_housekeeping
from sinfronteras.plans.models import Allocation, NeedOutcome, SealedAddress, Task
from sinfronteras.sharing.models import Need, Offer


@pytest.fixture(autouse=True)
def seal_key(settings):
    settings.SEAL_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def fulfilled(la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    """fulfilled() -> a need of carla's, fulfilled now by a carried delivery; the offers."""

    def make():
        need = need_of(carla, "food", 4)
        giver = offer_of(bob, ["food"], 4)
        driver = volunteer("Koreatown")
        hours = carrier_of(driver, 2)
        run = plan_now(la, alice)
        assert run.status == "done", run.error
        task = Task.objects.get(run=run, need=need)
        assert task.carrier_id == driver.pk
        do_seal_address(need, "12 Calle Retention")
        lifecycle.do_accept(driver, task)
        lifecycle.do_done(driver, Task.objects.get(pk=task.pk))
        need.refresh_from_db()
        assert need.status == "fulfilled" and need.fulfilled_at is not None
        return need, giver, hours

    return make


def traces(need_pk) -> dict:
    return {"need": Need.objects.filter(pk=need_pk).count(),
            "tasks": Task.objects.filter(need_id=need_pk).count(),
            "allocations": Allocation.objects.filter(need_id=need_pk).count(),
            "outcomes": NeedOutcome.objects.filter(need_id=need_pk).count(),
            "address": SealedAddress.objects.filter(need_id=need_pk).count()}


def test_a_fulfilled_need_and_its_tasks_are_deleted_after_the_default_seven_days_not_before(
        la, fulfilled):
    assert la.retention_days == 7
    need, giver, _ = fulfilled()
    # An address left behind (entered again after delivery) goes with the need.
    do_seal_address(need, "12 Calle Retention")
    fulfilled_at = need.fulfilled_at
    assert traces(need.pk) == {"need": 1, "tasks": 1, "allocations": 1, "outcomes": 1,
                               "address": 1}

    with time_machine.travel(fulfilled_at + timedelta(days=6), tick=False):
        assert do_housekeeping()["needs_deleted"] == 0
    assert traces(need.pk)["need"] == traces(need.pk)["tasks"] == 1
    assert traces(need.pk)["address"] == 0  # a fulfilled need keeps no address at all
    with time_machine.travel(fulfilled_at + timedelta(days=8), tick=False):
        assert do_housekeeping()["needs_deleted"] == 1
        assert do_housekeeping()["needs_deleted"] == 0  # safe to run again

    assert traces(need.pk) == dict.fromkeys(traces(need.pk), 0)
    giver.refresh_from_db()
    assert giver.committed_milli == milli(4)  # what was given stays given


def test_a_collective_that_decided_three_days_loses_fulfilled_needs_after_three(
        la, fulfilled, oakland, password_hash):
    do_change_setting(la, "retention_days", 3, decision_ref=1)
    la.refresh_from_db()
    need, _, _ = fulfilled()
    fulfilled_at = need.fulfilled_at

    with time_machine.travel(fulfilled_at + timedelta(days=2), tick=False):
        assert do_housekeeping()["needs_deleted"] == 0
    assert Need.objects.filter(pk=need.pk).exists()
    with time_machine.travel(fulfilled_at + timedelta(days=4), tick=False):
        assert do_housekeeping()["needs_deleted"] == 1
    assert traces(need.pk) == dict.fromkeys(traces(need.pk), 0)


def test_an_open_need_is_never_deleted_however_old(la, carla, need_of):
    need = need_of(carla, "food", 2)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert do_housekeeping()["needs_deleted"] == 0
    assert Need.objects.filter(pk=need.pk).exists()


def test_expired_tasks_give_back_what_they_held_and_are_planned_again(
        la, alice, bob, carla, need_of, offer_of, volunteer, carrier_of):
    need = need_of(carla, "food", 4)
    giver = offer_of(bob, ["food"], 4)
    driver = volunteer("Koreatown")
    hours = carrier_of(driver, 2)
    run = plan_now(la, alice)
    task = Task.objects.get(run=run, need=need)
    giver.refresh_from_db()
    hours.refresh_from_db()
    assert giver.committed_milli == 4000 and hours.committed_milli == milli(task.hours) > 0
    lifecycle.do_accept(driver, task)  # accepted, then never done

    with time_machine.travel(task.window_end + timedelta(minutes=1), tick=False):
        assert do_housekeeping()["tasks_expired"] == 1
        assert do_housekeeping()["tasks_expired"] == 0
        for offer in (giver, hours):
            offer.refresh_from_db()
            assert offer.committed_milli == 0
        assert Task.objects.get(pk=task.pk).state == "expired"
        again = plan_now(la, alice)
    assert again.status == "done", again.error
    new = Task.objects.get(run=again, need=need)
    assert new.state == "proposed" and new.quantity == 4
    assert Offer.objects.get(pk=giver.pk).committed_milli == 4000


def test_housekeeping_closes_the_job_row_of_a_run_its_worker_never_finished(
        la, alice, django_capture_on_commit_callbacks):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from sinfronteras.plans.jobs import run_plan
    from sinfronteras.plans.runs import do_request_run, mark_stale_runs

    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_run(la, alice)  # queued for a worker: one job row
    row = DBTaskResult.objects.get(task_path=run_plan.module_path)
    # A worker claims it, starts the run, and is killed (nothing more is written).
    DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.RUNNING,
                                                 started_at=timezone.now())
    type(run).objects.filter(pk=run.pk).update(status="running", heartbeat_at=timezone.now())
    assert do_housekeeping()["job_rows_closed"] == 0  # the run may still be going
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        assert mark_stale_runs(la) == 1
        assert do_housekeeping()["job_rows_closed"] == 1
        assert do_housekeeping()["job_rows_closed"] == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and "worker stopped" in row.traceback
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        assert do_housekeeping()["job_rows_pruned"] == 0
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert do_housekeeping()["job_rows_pruned"] == 1
    assert not DBTaskResult.objects.filter(pk=row.pk).exists()
