"""Alerts: deliveries in an area pause while a raid is reported there.

Any member raises an alert for an area for some hours (it ends by itself): a false
alarm only holds deliveries back, a missed one sends a volunteer into a raid. A
coordinator, or the member who raised it, lifts it sooner. While it is on:

- the planner leaves the area's needs and offers out (nothing new goes there);
- tasks not yet accepted that start or end there go back to the pool now;
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

from sinfronteras.members.models import Area
from sinfronteras.numbers import WholeField

from .models import LIVE_STATES, AreaAlert, Task, TaskState
from .store import retire

MAX_HOURS = 72  # as the error message says


class AlertForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("Pick one of your collective's areas.")})
    hours = WholeField(
        label=_("For how many hours"), initial=12, min_value=1, max_value=MAX_HOURS,
        help_text=_("It ends by itself; you can lift it sooner."),
        error_messages=dict.fromkeys(["min_value", "max_value", "required", "invalid"],
                                     _("Give 1 to 72 hours.")))

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(collective=collective)


def alerted_area_ids(collective_id, now=None) -> set[int]:
    """The areas of a collective where deliveries are paused now."""
    return set(AreaAlert.objects.on_in(collective_id, now).values_list("area_id", flat=True))


def touches(task, area_ids) -> bool:
    """Whether a task starts or ends in one of these areas."""
    return task.need.area_id in area_ids or task.offer.area_id in area_ids


@transaction.atomic
def do_raise_alert(member, area, hours: int) -> AreaAlert:
    """Pause deliveries in ``area`` for ``hours``; unaccepted tasks there go back to the pool."""
    from sinfronteras.audit.models import record

    now = timezone.now()
    alert = AreaAlert.objects.create(collective_id=member.collective_id, area=area,
                                     raised_by=member, until=now + timedelta(hours=hours))
    there = Q(need__area=area) | Q(offer__area=area)
    retire(Task.objects.filter(there, need__collective_id=member.collective_id,
                               state__in=[s for s in LIVE_STATES if s != TaskState.ACCEPTED]),
           TaskState.SUPERSEDED)
    record(member.collective, "alert.raised", actor=member,
           data={"area": area.name, "until": alert.until.isoformat(timespec="minutes")})
    from sinfronteras.notify.hooks import alert_raised

    alert_raised(alert, member)
    return alert


def can_lift(member, alert) -> bool:
    return member.is_coordinator or alert.raised_by_id == member.pk


@transaction.atomic
def do_lift_alert(member, alert) -> AreaAlert:
    from sinfronteras.audit.models import record

    updated = AreaAlert.objects.active().filter(pk=alert.pk).update(lifted_at=timezone.now())
    if updated:
        record(member.collective, "alert.lifted", actor=member, data={"area": alert.area.name})
        from sinfronteras.notify.hooks import alert_lifted

        alert_lifted(alert, member)
    alert.refresh_from_db()
    return alert
