"""What every page shows a logged-in member: alerts on now, and tasks waiting for them."""

from __future__ import annotations

from django.db.models import IntegerField, Value

from sinfronteras.prepared import PreparedQuery

from .alerts import alerts_on
from .lifecycle import proposed_to, waiting_for
from .task_messages import remember_unread, unread_task_ids, unread_tasks

WAITING, UNREAD = 0, 1

#: The menu's two badges in one query, compiled once: the tasks proposed to the member and
#: the tasks with a message new to them, each id tagged with its badge.
_BADGES = PreparedQuery(lambda member_id: (
    proposed_to(member_id).order_by().annotate(badge=Value(WAITING, IntegerField()))
    .values_list("pk", "badge").union(
        unread_tasks(member_id).order_by().annotate(badge=Value(UNREAD, IntegerField()))
        .values_list("pk", "badge"), all=True)), member_id="id")


def badges(member) -> tuple[int, int]:
    """How many tasks wait for the member's answer, and how many have a message new to them."""
    if getattr(member, "_unread_task_ids", None) is not None:  # read already by the page
        return waiting_for(member), len(unread_task_ids(member))
    rows = _BADGES.rows(member_id=member.pk)
    unread = {pk for pk, badge in rows if badge == UNREAD}
    remember_unread(member, unread)
    return sum(1 for _pk, badge in rows if badge == WAITING), len(unread)


def for_every_page(request) -> dict:
    """Context processor: the collective's alerts (the banner), how many tasks wait for
    the member's answer, and how many have a message new to them (the menu's badges)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    waiting, unread = badges(user)
    return {"area_alerts": alerts_on(user.collective_id),
            "tasks_waiting": waiting, "tasks_unread": unread}
