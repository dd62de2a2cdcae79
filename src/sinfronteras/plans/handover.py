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

from .models import LIVE_STATES, SealedAddress, SealedPickup, TaskKind, TaskState


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


def moment_text(moment) -> str:
    """"Saturday 12 December at 09:00" / "el sábado 12 de diciembre a las 09:00"."""
    return _("%(day)s at %(time)s") % {"day": day_text(moment), "time": clock(moment)}


def window_text(task) -> str:
    """When: a concrete window, or only the last day when nobody said a time (no clock:
    the end of a day is a deadline, not a time to be home)."""
    start, end = task.window_start, task.window_end
    if not task.timed:
        return _("By %(day)s, no time set yet") % {"day": day_text(end)}
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


def needs_pickup_point(task) -> bool:
    """A carry of an offer with no public place: the carrier needs the giver's sealed one."""
    return task.kind == TaskKind.CARRY and not task.offer.public_place.strip()


def has_pickup_point(offer) -> bool:
    return SealedPickup.objects.filter(offer_id=offer.pk).exists()


def has_address(task) -> bool:
    return SealedAddress.objects.filter(need_id=task.need_id).exists()


def sealed_places(task, pickup_set: bool) -> dict:
    """For the carrier: when the sealed places show, and what nobody has given yet."""
    if task.state not in LIVE_STATES or action_of(task) is not None:
        return {"opens": "", "missing": []}
    wants_pickup = needs_pickup_point(task)
    opens = ""
    if timezone.now() < task.window_start:
        what = (_("The pickup point and the delivery address show here from %(when)s, until "
                  "the window ends.") if wants_pickup else
                _("The delivery address shows here from %(when)s, until the window ends."))
        opens = what % {"when": moment_text(task.window_start)}
    missing = []
    if wants_pickup and not pickup_set:
        missing.append(_("The giver has not given a pickup point yet."))
    if not has_address(task):
        missing.append(_("The person in need has not given a delivery address yet: agree on a "
                         "place in the messages below."))
    return {"opens": opens, "missing": missing}


def pickup_deadline_text(task) -> str:
    """Until when the giver may give the pickup point (``Collective.pickup_hours`` after
    the plan), after which the carry goes back to the plan."""
    from datetime import timedelta

    planned = task.run.finished_at or task.run.created_at
    hours = task.need.collective.pickup_hours
    return _("Give one by %(when)s, or the carry goes back to the plan.") % {
        "when": moment_text(planned + timedelta(hours=hours))}


def giver_sentence(task) -> str:
    """For the giver of a carry: who takes it to whom, by role only."""
    return _("A carrier picks it up and takes it to the person in need in %(area)s.") % {
        "area": task.need.area.name}


def untimed_note(task, role) -> str:
    if task.timed or role is None:
        return ""
    if role == "carrier":
        return _("No time is set: write to the others in the messages below to agree one.")
    return _("No time is set: the carrier writes in the messages below to agree one.")
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
    pickup_set = needs_pickup_point(task) and has_pickup_point(offer)
    carries_it = member.pk == task.carrier_id and task.state != TaskState.DECLINED
    places = sealed_places(task, pickup_set) if carries_it else {"opens": "", "missing": []}
    return {
        **places,
        "untimed_note": untimed_note(task, "carrier" if carries_it else role),
        "giver_sentence": giver_sentence(task) if role == "giver" and task.kind == TaskKind.CARRY
        else "",
        "asks_pickup": (role == "giver" and needs_pickup_point(task) and not pickup_set
                        and task.state in LIVE_STATES),
        "pickup_deadline": pickup_deadline_text(task) if role == "giver" and needs_pickup_point(
            task) and not pickup_set and task.state in LIVE_STATES else "",
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
        "sealed_pickup": pickup_set and role != "receiver",
    }


def mark_givers_part(tasks, member) -> list:
    """On *My tasks*: each carry of something the member gives says to whom (by role) and
    where the carrier picks it up; the first carry of an offer with no pickup point asks for
    one (``task.asks_pickup``). Sets attributes on the tasks; returns them."""
    tasks = list(tasks)
    offers = {t.offer_id for t in tasks
              if t.kind == TaskKind.CARRY and t.offer.posted_by_id == member.pk}
    sealed = set(SealedPickup.objects.filter(offer_id__in=offers).values_list("offer_id", flat=True)
                 ) if offers else set()
    asked = set()
    for task in tasks:
        task.gives_carry = task.offer_id in offers and task.carrier_id != member.pk
        task.giver_sentence = giver_sentence(task) if task.gives_carry else ""
        task.public_place = task.offer.public_place.strip()
        task.pickup_sealed = task.offer_id in sealed
        task.asks_pickup = (task.gives_carry and not task.public_place and not task.pickup_sealed
                            and task.state in LIVE_STATES and not asked)  # one form a page
        if task.asks_pickup:
            asked.add(task.offer_id)
            task.pickup_deadline = pickup_deadline_text(task)
    return tasks

