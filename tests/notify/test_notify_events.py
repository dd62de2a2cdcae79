"""The kinds of note, their words in both languages, and the reminder of a closing vote."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from sinfronteras.assembly.models import Participation, Proposal
from sinfronteras.notify.channels import Channel, make_note, register, unregister
from sinfronteras.notify.events import KINDS
from sinfronteras.notify.reminders import remind_closing_proposals

LA = ZoneInfo("America/Los_Angeles")
WEDNESDAY_NOON = datetime(2026, 12, 9, 12, 0, tzinfo=LA)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_its_own_sentence_in_english_and_spanish_and_a_page(bob, kind):
    bob.language = "en"
    english = make_note(bob, kind)
    bob.language = "es"
    spanish = make_note(bob, kind)
    assert english.body != spanish.body and english.body.endswith(".") and spanish.body.endswith(".")
    assert english.path == spanish.path == KINDS[kind].path and english.title == "sinfronteras"
    assert "%" not in english.body + spanish.body and "{" not in english.body + spanish.body


def proposal(la, alice, closes):
    return Proposal.objects.create(collective=la, author=alice, title="Open a second pantry",
                                   kind="majority", opens_at=WEDNESDAY_NOON - timedelta(days=3),
                                   closes_at=closes)


class Tally(Channel):
    name = "tally"

    def wants(self, member, kind):
        return True


@pytest.fixture
def tally():
    register(Tally())
    yield
    unregister("tally")


def told():
    return sorted((row["args"][0], row["args"][2]) for row in DBTaskResult.objects.filter(
        task_path="sinfronteras.notify.jobs.deliver").values_list("args_kwargs", flat=True))


def test_those_who_may_still_vote_are_reminded_once_the_day_before_it_closes(
        la, alice, bob, carla, dmitri, tally, django_capture_on_commit_callbacks):
    thursday = proposal(la, alice, datetime(2026, 12, 10, 9, 0, tzinfo=LA))
    proposal(la, alice, datetime(2026, 12, 9, 20, 0, tzinfo=LA))  # closes today: too late
    proposal(la, alice, datetime(2026, 12, 11, 9, 0, tzinfo=LA))  # the day after tomorrow
    Participation.objects.create(proposal=thursday, member=carla)
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_closing_proposals() == 1
            assert remind_closing_proposals() == 0
        fan_out = DBTaskResult.objects.get(task_path="sinfronteras.notify.jobs.fan_out")
        fan_out.task.func(*fan_out.args_kwargs["args"])  # what the worker does with it
    path = f"/decisions/{thursday.pk}/"
    assert told() == sorted([(alice.pk, path), (bob.pk, path)])  # not carla (voted), not dmitri
