"""Tasks dropped after their people were told: why, in each person's words.

A replan keeps every live task whose allocation it keeps (``store``); one it must
change is dropped with a reason (``Task.dropped_reason``), and an alert pauses the
tasks it touches. The family, the carrier and the giver read why on their pages, for
a week; the words never name another person, an address or a message.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.prepared import PreparedQuery
from sinfronteras.web.formats import amount

from .models import DropReason, Task, TaskState

#: How long a dropped task is shown to its people.
SHOWN_FOR = timedelta(days=7)


def _day(task) -> str:
    return django_formats.date_format(timezone.localtime(task.dropped_at), "SHORT_DATETIME_FORMAT")


def words(task, role: str | None) -> str:
    """Why ``task`` was dropped, for its person in need (``"receiver"``) or its carrier or
    giver; empty when it was not dropped."""
    if task.state != TaskState.SUPERSEDED or not task.dropped_reason:
        return ""
    what = {"amount": amount(task.quantity, task.need.resource), "day": _day(task)}
    if task.dropped_reason == DropReason.ALERT:
        if role == "receiver":
            return _("An alert paused a delivery planned for you (%(amount)s, %(day)s). It comes "
                     "back when the alert is lifted, if the plan can still make it.") % what
        return _("An alert paused this delivery (%(day)s): do not go. It comes back to you when "
                 "the alert is lifted, if the plan can still make it.") % what
    if role == "receiver":
        return _("The plan was made again (%(day)s) and dropped a delivery planned for you "
                 "(%(amount)s): needs or offers changed, and the offers were shared again, "
                 "worst-off first. What is planned for you now is shown here; the rest stays "
                 "open for the next plan.") % what
    return _("The plan was made again (%(day)s) and dropped this delivery: needs or offers "
             "changed, and the offers were shared again, worst-off first. You do not need to do "
             "it; thank you.") % what


def _recent(tasks, now=None, since=None):
    """Those of ``tasks`` dropped since ``since`` (by default ``SHOWN_FOR`` before now)."""
    since = since or (now or timezone.now()) - SHOWN_FOR
    return (tasks.filter(state=TaskState.SUPERSEDED, dropped_at__gte=since)
            .exclude(dropped_reason="").select_related("need__resource", "need__area", "offer__area")
            .order_by("-dropped_at", "-pk"))


#: The tasks a member was to carry or give, dropped since a moment: compiled once.
_DROPPED_FOR = PreparedQuery(lambda member_id, since: _recent(
    Task.objects.filter(Q(carrier=member_id) | Q(offer__posted_by=member_id)), since=since)[:20],
    member_id="id", since="datetime")


def dropped_for(member) -> list[dict]:
    """The tasks dropped lately that the member was to carry or give, with why."""
    tasks = _DROPPED_FOR.objects(member_id=member.pk, since=timezone.now() - SHOWN_FOR)
    return [{"task": t, "why": words(t, "carrier")} for t in tasks]


def dropped_for_need(need, now=None) -> str:
    """Why the latest task dropped lately for this open need was dropped ('' if none).

    Reads ``need.tasks.all()``: prefetched by the lists, so no query per need.
    """
    if need.status != "open":
        return ""
    since = (now or timezone.now()) - SHOWN_FOR
    recent = [t for t in need.tasks.all() if t.state == TaskState.SUPERSEDED and t.dropped_reason
              and t.dropped_at and t.dropped_at >= since]
    latest = max(recent, key=lambda t: (t.dropped_at, t.pk), default=None)
    return words(latest, "receiver") if latest else ""
