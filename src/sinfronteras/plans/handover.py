"""What a task says to the person who reads it: what, where to pick up, where to bring,
and when ("Saturday, December 7, 10:00 AM–12:00 PM"; "sábado 7 de diciembre, 10:00–12:00"); for a hand at an action, the action,
its place and its start ("Be at the Koreatown rally on Saturday at 11:00 for 3 hours").

Plain sentences in the reader's language. Sealed places are not here: they are read
through ``addresses`` only by the one carrier, only in the window.
"""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sinfronteras.web.formats import number

from .models import TaskKind


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


def day_text(moment) -> str:
    """"Saturday, December 7" / "sábado 7 de diciembre": the order of the language's
    dates (``web/formats``: "Dec 7, 2026" in English), never a mix."""
    local = timezone.localtime(moment)
    return dateformat.format(local, r"l j \d\e F" if _spanish() else "l, F j")


def clock(moment) -> str:
    """"10:00 AM" in English, "10:00" in Spanish, as ``TIME_FORMAT`` of each."""
    return dateformat.format(timezone.localtime(moment), "H:i" if _spanish() else "g:i A")


def window_text(task) -> str:
    """When: a concrete window, or only the deadline when nobody said a time."""
    start, end = task.window_start, task.window_end
    if not task.timed:
        return _("By %(day)s") % {"day": f"{day_text(end)}, {clock(end)}"}
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return _("%(day)s, %(start)s–%(end)s") % {"day": day_text(start), "start": clock(start),
                                                  "end": clock(end)}
    return f"{day_text(start)} {clock(start)} – {day_text(end)} {clock(end)}"


def slot_text(slot) -> str:
    return f"{slot.get_weekday_display()} {slot.start:%H:%M}–{slot.end:%H:%M}"


def action_of(task):
    link = getattr(task.need, "action_link", None)
    return link.action if link else None


def presence_text(task) -> str:
    """For a hand at an action, the one sentence that says it all; else ""."""
    action = action_of(task)
    if action is None or not task.need.resource.in_person:
        return ""
    hours = number(task.quantity)
    return _("Be at “%(action)s” in %(area)s on %(day)s at %(time)s for %(hours)s hours.") % {
        "action": action.title, "area": action.area, "day": day_text(action.starts_at),
        "time": clock(action.starts_at), "hours": hours}


def project_place(need) -> str:
    """The public place a budget's project is brought to (``assembly.ProjectNeed``), or ""."""
    link = getattr(need, "project_link", None)  # a missing one raises an AttributeError
    return link.place if link else ""


def describe(task, member) -> dict:
    """The task's what, where and when for this reader.

    The person in need reads what comes and when, not where it comes from.
    """
    offer = task.offer
    role = task.role_of(member)
    public = offer.public_place.strip()
    return {
        "when": window_text(task),
        "presence": presence_text(task),
        "pickup_area": "" if role == "receiver" else offer.area.name,
        "public_place": "" if role == "receiver" else public,
        "opening_hours": [] if role == "receiver" or not public
        else [slot_text(s) for s in offer.slots.all()],
        "dropoff_area": task.need.area.name,
        "dropoff_place": project_place(task.need),
        "is_carry": task.kind == TaskKind.CARRY,
        "role": role,
        "sealed_pickup": hasattr(offer, "sealed_pickup") and role != "receiver",
    }
