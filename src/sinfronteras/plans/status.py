"""What a person in need sees of each need: planned, on its way, done — never who gives —
and, when the last plan could not meet it all, how much it found and why."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from sinfronteras.planning.result import NOTHING_IN_REACH
from sinfronteras.prepared import PreparedQuery, attach
from sinfronteras.sharing.models import Need
from sinfronteras.web.formats import amount, number

from .alerts import alerted_area_ids
from .compute import NO_COMMON_TIME
from .dropped import dropped_for_need
from .models import LIVE_STATES as LIVE
from .models import NeedOutcome, RunStatus, SealedAddress, Task, TaskState
from .task_messages import unread_task_ids


def state_of(need) -> str:
    """The need's one status in words (the rule is ``Need.progress``, the same everywhere)."""
    return need.progress.label


def givers_known(need) -> list[str]:
    """Display names of givers who, like the person in need, agreed to share names."""
    return sorted({t.offer.posted_by.display_name for t in need.tasks.all()
                   if t.state != TaskState.SUPERSEDED and t.receiver_shares_name
                   and t.giver_shares_name})


def share_of(need, outcome, paused: set[int]) -> str:
    """Why the last plan did not meet an open need in full, in the person's words."""
    if need.status != "open":
        return ""
    if need.area_id in paused:
        return _("An alert has paused deliveries in your area; the plan waits with it.")
    if outcome is not None and outcome.reason == NO_COMMON_TIME:
        if not need.slots.all():  # "any time": there is nothing more to add
            return _("A giver was found, but their days and hours did not come round before "
                     "your date. The next plan looks again.")
        return _("A giver was found, but you have no day and hour in common: add more days "
                 "and hours to your need.")
    if outcome is None or outcome.fraction >= 0.999:
        return ""
    if outcome.reason == NOTHING_IN_REACH:
        return _("Nobody offers this within reach of your area yet. The plan looks again each "
                 "time it is made; you can also ask a coordinator, who sees what is missing and "
                 "can look for a giver.")
    return _("The last plan found %(met)s of %(quantity)s: giving you more would have meant "
             "taking from someone who got the same share or less, or from a need with a stronger "
             "claim. The rest stays open: the next plan looks for it again when more is offered. "
             "You can also ask a coordinator.") % {
        "met": number(outcome.met), "quantity": amount(need.quantity, need.resource)}


def reasons_for(needs) -> None:
    """Set ``plan_reason`` on each need: the sentence *My tasks* gives (for Home's cards)."""
    needs = list(needs)
    if not needs:
        return
    outcomes = latest_outcomes(needs)
    paused = alerted_area_ids(needs[0].collective_id)
    for need in needs:
        need.plan_reason = share_of(need, outcomes.get(need.pk), paused)


#: Each need's outcomes in finished plans, newest first (compiled once per count of needs).
_OUTCOMES = PreparedQuery(lambda need_ids: NeedOutcome.objects.filter(
    need_id__in=need_ids, run__status=RunStatus.DONE).order_by("need_id", "-run_id"), need_ids="ids")


def latest_outcomes(needs) -> dict[int, NeedOutcome]:
    """Each need's outcome in the newest finished plan that planned it."""
    ids = [need.pk for need in needs]
    latest: dict[int, NeedOutcome] = {}
    for row in _OUTCOMES.objects(need_ids=ids) if ids else []:
        latest.setdefault(row.need_id, row)
    return latest


#: *My tasks*' needs, their tasks (with who gives) and their days and hours, compiled once.
_MY_NEEDS = PreparedQuery(lambda member_id: (
    Need.objects.personal(member_id).filter(status__in=["open", "fulfilled"]).with_progress()
    .select_related("resource", "area").prefetch_related("slots")), member_id="id")
_TASKS_OF = PreparedQuery(lambda need_ids: Task.objects.filter(need_id__in=need_ids)
                          .select_related("offer__posted_by").annotate(_prepared_owner=F("need_id")),
                          need_ids="ids")
_SEALED = PreparedQuery(lambda need_ids: SealedAddress.objects.filter(need_id__in=need_ids)
                        .values_list("need_id", flat=True), need_ids="ids")


def need_states(member) -> list[dict]:
    needs = _MY_NEEDS.objects(member_id=member.pk)
    ids = [need.pk for need in needs]
    if ids:
        attach(needs, "tasks", _TASKS_OF.objects(need_ids=ids))
    outcomes, paused = latest_outcomes(needs), alerted_area_ids(member.collective_id)
    sealed = set(_SEALED.rows(need_ids=ids)) if ids else set()

    unread = unread_task_ids(member)
    return [{"need": need, "state": state_of(need), "sealed": need.pk in sealed,
             "share": share_of(need, outcomes.get(need.pk), paused),
             "dropped": dropped_for_need(need),
             "givers": givers_known(need),
             "asked": any(t.receiver_shares_name for t in need.tasks.all()),
             "live": any(t.state in LIVE for t in need.tasks.all()),
             # the live deliveries, whose people can write to each other: one link each
             "talk": deliveries([t for t in need.tasks.all() if t.state in LIVE], unread)}
            for need in needs]


def deliveries(tasks, unread: set[int]) -> list[dict]:
    """One entry per delivery: tasks of one need that one carrier brings in one window are
    one delivery (one link, to the first), with their amount together and whether a
    message is new."""
    groups: dict[tuple, dict] = {}
    for task in sorted(tasks, key=lambda t: (t.window_start, t.pk)):
        key = (task.carrier_id or f"task{task.pk}", task.window_start, task.window_end)
        group = groups.setdefault(key, {"task": task, "quantity": 0, "unread": False})
        group["quantity"] += task.quantity
        group["unread"] = group["unread"] or task.pk in unread
    return list(groups.values())

