"""What a person in need sees of each need: planned, on its way, done — never who gives."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sinfronteras.sharing.models import Need

from .models import TaskState


def state_of(need) -> str:
    tasks = [t for t in need.tasks.all() if t.state != TaskState.SUPERSEDED]
    if need.status == "fulfilled" or (tasks and all(t.state == TaskState.DONE for t in tasks)):
        return _("done")
    accepted = [t for t in tasks if t.state == TaskState.ACCEPTED]
    if accepted:
        day = min(t.window_end for t in accepted)
        return _("on its way, by %(day)s") % {"day": day.strftime("%d/%m")}
    if any(t.state in (TaskState.PROPOSED, TaskState.OPEN) for t in tasks):
        return _("planned")
    return _("waiting for the next plan")


def need_states(member) -> list[tuple[Need, str, bool]]:
    needs = (Need.objects.filter(posted_by=member, status__in=["open", "fulfilled"])
             .select_related("resource", "area").prefetch_related("tasks"))
    return [(need, state_of(need), hasattr(need, "sealed_address")) for need in needs]
