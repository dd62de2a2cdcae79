"""Alerts: deliveries in an area pause while a raid is reported there.

Any member raises an alert for an area for some hours (it ends by itself): a false
alarm only holds deliveries back, a missed one sends a volunteer into a raid. A
coordinator, or the member who raised it, lifts it sooner. While it is on:

- the planner leaves the area's needs and offers out (nothing new goes there);
- tasks not yet accepted that start or end there are paused (dropped, with the
  alert as their reason); lifting the alert gives them back as they were (same
  task, same id, messages and carrier) if the plan can still make them;
- nobody takes or accepts a task that starts or ends there;
- no address there is shown, not even to the carrier of an accepted task.

Every member sees the alert at the top of every page (``context.for_every_page``).
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.audit.models import record
from sinfronteras.members.models import Area
from sinfronteras.notify.hooks import alert_lifted, alert_raised
from sinfronteras.numbers import WholeField
from sinfronteras.prepared import PreparedQuery
from sinfronteras.sharing.models import Need, Offer
from sinfronteras.widgets import QuickSelect

from .models import LIVE_STATES, AreaAlert, DropReason, Task, TaskState
from .store import commit, drop

MAX_HOURS = 72  # as the error message says


#: A collective's areas as the area list shows them, compiled once (the alerts page).
_AREAS = PreparedQuery(lambda collective_id: Area.objects.filter(collective_id=collective_id)
                       .values_list("pk", "name"), collective_id="id")


class AlertForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), empty_label=None, widget=QuickSelect,
        error_messages={"invalid_choice": _("Pick one of your collective's areas.")})
    hours = WholeField(
        label=_("For how many hours"), initial=12, min_value=1, max_value=MAX_HOURS,
        help_text=_("It ends by itself; you can lift it sooner."),
        error_messages=dict.fromkeys(["min_value", "max_value", "required", "invalid"],
                                     _("Give 1 to 72 hours.")))

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(collective=collective)  # checks a choice
        self.fields["area"].choices = _AREAS.rows(collective_id=collective.pk)  # lists them


#: The alerts on in a collective, compiled once: every page's banner shows them.
_ON_IN = PreparedQuery(
    lambda collective_id, now: AreaAlert.objects.on_in(collective_id, now).values_list(
        "pk", "area_id", "area__name", "until", "raised_by_id", "raised_at"),
    collective_id="id", now="datetime")


def alerts_on(collective_id, now=None) -> list[AreaAlert]:
    """The alerts on now in one collective, soonest to end first, each with its area's name
    (``alert.area`` prints it): the banner of every page and the alerts page."""
    alerts = []
    for pk, area_id, name, until, raised_by_id, raised_at in _ON_IN.rows(
            collective_id=collective_id, now=now or timezone.now()):
        alert = AreaAlert(pk=pk, collective_id=collective_id, area_id=area_id, until=until,
                          raised_by_id=raised_by_id, raised_at=raised_at)
        alert.area = Area(pk=area_id, collective_id=collective_id, name=name)
        alerts.append(alert)
    return alerts


def alerted_area_ids(collective_id, now=None) -> set[int]:
    """The areas of a collective where deliveries are paused now."""
    return {alert.area_id for alert in alerts_on(collective_id, now)}


def touches(task, area_ids) -> bool:
    """Whether a task starts or ends in one of these areas."""
    return task.need.area_id in area_ids or task.offer.area_id in area_ids


@transaction.atomic
def do_raise_alert(member, area, hours: int) -> AreaAlert:
    """Pause deliveries in ``area`` for ``hours``; unaccepted tasks there go back to the pool."""
    now = timezone.now()
    alert = AreaAlert.objects.create(collective_id=member.collective_id, area=area,
                                     raised_by=member, until=now + timedelta(hours=hours))
    there = Q(need__area=area) | Q(offer__area=area)
    drop(list(Task.objects.select_for_update().filter(
        there, need__collective_id=member.collective_id,
        state__in=[s for s in LIVE_STATES if s != TaskState.ACCEPTED])), DropReason.ALERT, now, alert)
    record(member.collective, "alert.raised", actor=member,
           data={"area": area.name, "until": alert.until.isoformat(timespec="minutes")})

    alert_raised(alert, member)
    return alert


def can_lift(member, alert) -> bool:
    return member.is_coordinator or alert.raised_by_id == member.pk


@transaction.atomic
def do_lift_alert(member, alert) -> AreaAlert:
    updated = AreaAlert.objects.active().filter(pk=alert.pk).update(lifted_at=timezone.now())
    if updated:
        back = give_back(alert)
        record(member.collective, "alert.lifted", actor=member,
               data={"area": alert.area.name, "tasks_back": back})

        alert_lifted(alert, member)
    alert.refresh_from_db()
    return alert


def give_back(alert, now=None) -> int:
    """Give back, as they were, the tasks ``alert`` paused, where the plan can still make
    them: the need still open and lacking it, the offer (and the carrier's hours) still
    there and free, the window not over, no other alert on there. Returns how many."""
    now = now or timezone.now()
    still = alerted_area_ids(alert.collective_id, now)
    back = 0
    for task in (Task.objects.select_for_update().filter(paused_by=alert, state=TaskState.SUPERSEDED)
                 .select_related("need", "offer").order_by("pk")):
        if touches(task, still) or task.window_end <= now:
            continue
        need = Need.objects.plannable(now).filter(pk=task.need_id).first()
        offer = Offer.objects.active().filter(pk=task.offer_id).first()
        carrier = (Offer.objects.active().filter(pk=task.carrier_offer_id).first()
                   if task.carrier_offer_id else None)
        if need is None or offer is None or (task.carrier_offer_id and carrier is None):
            continue
        held = sum(t.quantity for t in need.tasks.filter(state__in=[*LIVE_STATES, TaskState.DONE]))
        if (need.quantity - held < task.quantity or offer.available < task.quantity
                or (carrier is not None and carrier.available < task.hours)):
            continue
        commit(offer.pk, task.quantity)
        if carrier is not None:
            commit(carrier.pk, task.hours)
        Task.objects.filter(pk=task.pk).update(
            state=TaskState.PROPOSED if task.carrier_id else TaskState.OPEN,
            dropped_reason="", dropped_at=None, paused_by=None)
        back += 1
    return back
