"""What a person in need sees of each need: planned, on its way, done — never who gives —
and, when the last plan could not meet it all, how much it found and why."""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from sinfronteras.planning.result import NOTHING_IN_REACH
from sinfronteras.sharing.models import Need

from .compute import NO_COMMON_TIME
from .models import LIVE_STATES as LIVE
from .models import NeedOutcome, RunStatus, TaskState


def state_of(need) -> str:
    tasks = [t for t in need.tasks.all() if t.state != TaskState.SUPERSEDED]
    if need.status == "fulfilled" or (tasks and all(t.state == TaskState.DONE for t in tasks)):
        return _("done")
    accepted = [t for t in tasks if t.state == TaskState.ACCEPTED]
    if accepted:
        day = min(t.window_end for t in accepted)
        # "on its way, by Saturday 28/11": the weekday in the reader's language
        return _("on its way, by %(day)s") % {"day": dateformat.format(timezone.localtime(day),
                                                                        "l j/n")}
    if any(t.state in (TaskState.PROPOSED, TaskState.OPEN) for t in tasks):
        return _("planned")
    return _("waiting for the next plan")


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
        return _("A giver was found, but you have no day and hour in common: add more days "
                 "and hours to your need.")
    if outcome is None or outcome.fraction >= 0.999:
        return ""
    if outcome.reason == NOTHING_IN_REACH:
        return _("Nobody offers this within reach of your area yet.")
    return _("The last plan found %(met)s of %(quantity)s %(unit)s: giving you more would have "
             "meant taking from someone who got the same share or less, or from a need with a "
             "stronger claim.") % {
        "met": f"{outcome.met.normalize():f}", "quantity": f"{need.quantity.normalize():f}",
        "unit": need.resource.unit_label}


def latest_outcomes(needs) -> dict[int, NeedOutcome]:
    """Each need's outcome in the newest finished plan that planned it."""
    rows = (NeedOutcome.objects.filter(need__in=needs, run__status=RunStatus.DONE)
            .order_by("need_id", "-run_id"))
    latest: dict[int, NeedOutcome] = {}
    for row in rows:
        latest.setdefault(row.need_id, row)
    return latest


def need_states(member) -> list[dict]:
    from .alerts import alerted_area_ids

    needs = list(Need.objects.filter(posted_by=member, status__in=["open", "fulfilled"])
                 .select_related("resource", "area", "sealed_address")
                 .prefetch_related("tasks__offer__posted_by"))
    outcomes, paused = latest_outcomes(needs), alerted_area_ids(member.collective_id)
    return [{"need": need, "state": state_of(need), "sealed": hasattr(need, "sealed_address"),
             "share": share_of(need, outcomes.get(need.pk), paused),
             "givers": givers_known(need),
             "asked": any(t.receiver_shares_name for t in need.tasks.all()),
             "live": any(t.state in LIVE for t in need.tasks.all()),
             # the live deliveries, whose people can write to each other
             "talk": [t for t in need.tasks.all() if t.state in LIVE]} for need in needs]

