"""What the other apps call where an event happens; each tells people after the commit."""

from __future__ import annotations

from sinfronteras.members.models import Member

from .events import (ALERT_LIFTED, ALERT_RAISED, CARRY_PLANNED, NEED_ON_ITS_WAY, TASK_DROPPED,
                     TASK_MESSAGE, TASK_PROPOSED)
from .jobs import notify_after_commit


def tasks_proposed(carrier_ids) -> None:
    """A plan proposed tasks to these carriers."""
    notify_after_commit(carrier_ids, TASK_PROPOSED)


def tasks_dropped(tasks) -> None:
    """A replan dropped these tasks: their people (giver, carrier, person in need) read why."""
    people = set()
    for task in tasks:
        people |= {task.offer.posted_by_id, task.carrier_id, task.need.posted_by_id}
    notify_after_commit(people, TASK_DROPPED)


def carries_planned(giver_ids) -> None:
    """A plan made carries of what these members give: a carrier comes to pick it up."""
    notify_after_commit(giver_ids, CARRY_PLANNED)


def task_accepted(task) -> None:
    """The person in need learns that what they asked for is on its way."""
    notify_after_commit([task.need.posted_by_id], NEED_ON_ITS_WAY)


def message_posted(task, author) -> None:
    """The other people of the task (giver, carrier, receiver) have a new message."""
    people = {task.offer.posted_by_id, task.carrier_id, task.need.posted_by_id} - {author.pk, None}
    notify_after_commit(people, TASK_MESSAGE, f"/tasks/{task.pk}/")


def _in_area(alert, but=None):
    return list(Member.objects.filter(collective_id=alert.collective_id, area_id=alert.area_id,
                                      is_active=True).exclude(pk=getattr(but, "pk", None))
                .values_list("pk", flat=True))


def alert_raised(alert, member) -> None:
    notify_after_commit(_in_area(alert, but=member), ALERT_RAISED)


def alert_lifted(alert, member) -> None:
    notify_after_commit(_in_area(alert, but=member), ALERT_LIFTED)
