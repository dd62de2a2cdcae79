"""Housekeeping is a registry: each app registers its steps, one runner runs them all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sinfronteras
from sinfronteras import housekeeping
from sinfronteras.plans.housekeeping import do_housekeeping

EVERY_APPS_STEP = {"members_erased", "plan_runs_failed", "tasks_expired", "tasks_given_back",
                   "carries_without_pickup", "weekly_offers_renewed", "addresses_destroyed",
                   "messages_deleted", "needs_deleted", "action_needs_closed",
                   "closing_reminders", "transfers_released", "confirmations_sent_again"}


def test_it_finds_the_steps_every_app_registered_in_its_housekeeping_module():
    names = [step.name for step in housekeeping.steps()]
    assert EVERY_APPS_STEP <= set(names)
    # App by app in INSTALLED_APPS order: members, plans, organizing, notify.
    assert names.index("members_erased") < names.index("plan_runs_failed")
    assert names.index("needs_deleted") < names.index("action_needs_closed")
    assert names.index("action_needs_closed") < names.index("closing_reminders")
    # Within an app, in the order registered: runs and tasks past their time first.
    assert names.index("plan_runs_failed") < names.index("tasks_expired") < names.index(
        "needs_deleted")


@pytest.mark.django_db
def test_it_reports_each_steps_count_by_name():
    done = do_housekeeping()
    assert EVERY_APPS_STEP | {"job_rows_closed", "job_rows_pruned"} == set(done)
    assert all(count == 0 for count in done.values())  # nothing to do in an empty database


@pytest.mark.django_db
def test_a_step_registered_in_one_line_runs_with_the_others():
    seen = []

    def forget_old_posters(now):
        seen.append(now)
        return 3

    housekeeping.register("old_posters_forgotten", forget_old_posters)
    try:
        done = housekeeping.run()
    finally:
        housekeeping.unregister("old_posters_forgotten")
    assert done["old_posters_forgotten"] == 3 and len(seen) == 1 and seen[0].tzinfo is not None
    assert "old_posters_forgotten" not in housekeeping.run()


def test_two_steps_under_one_name_are_refused_and_both_are_named():
    def tasks_expired(now):
        return 0

    with pytest.raises(ValueError, match="plans.housekeeping._expire_tasks") as refused:
        housekeeping.register("tasks_expired", tasks_expired)
    assert "test_housekeeping" in str(refused.value)
    assert [s.func.__name__ for s in housekeeping.steps() if s.name == "tasks_expired"] == [
        "_expire_tasks"]


def test_the_runner_names_no_app():
    source = Path(sinfronteras.__file__).with_name("housekeeping.py").read_text()
    imported = [node.module or "" for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Import) for alias in node.names]
    assert imported and not [name for name in imported if name.startswith("sinfronteras")]
