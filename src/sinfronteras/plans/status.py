"""What a person in need sees of each need: planned, on its way, done — never who gives."""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from sinfronteras.sharing.models import Need

from .models import LIVE_STATES as LIVE
from .models import TaskState


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


def need_states(member) -> list[dict]:
    needs = (Need.objects.filter(posted_by=member, status__in=["open", "fulfilled"])
             .select_related("resource", "area").prefetch_related("tasks__offer__posted_by"))
    return [{"need": need, "state": state_of(need), "sealed": hasattr(need, "sealed_address"),
             "givers": givers_known(need),
             "asked": any(t.receiver_shares_name for t in need.tasks.all()),
             "live": any(t.state in LIVE for t in need.tasks.all())} for need in needs]

