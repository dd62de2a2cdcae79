"""Alert routes of the JSON API: a hotline or a chat bot can pause deliveries in an area."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema, Status

from sinfronteras.plans.alerts import AlertForm, do_raise_alert
from sinfronteras.plans.models import AreaAlert

from .urls import WRITE_ERRORS, Id, _as_form_data, _bad_request, _form_errors, answers, api


class AlertIn(Schema):
    area: Id
    hours: int


class AlertOut(Schema):
    """Who raised an alert is in the audit log, not here."""

    id: int
    area: Id
    raised_at: datetime
    until: datetime

    @staticmethod
    def of(alert: AreaAlert) -> dict:
        return {"id": alert.pk, "area": alert.area_id, "raised_at": alert.raised_at,
                "until": alert.until}


@api.get("/alerts", response=answers(list[AlertOut]), tags=["alerts"])
def list_alerts(request):
    """Alerts on now in your collective: deliveries in these areas are paused."""
    return [AlertOut.of(a) for a in AreaAlert.objects.on_in(request.user.collective_id)]


@api.post("/alerts", response=answers({201: AlertOut}, *WRITE_ERRORS), tags=["alerts"])
def raise_alert(request, payload: AlertIn):
    """Pause deliveries in an area for 1 to 72 hours (any member may)."""
    form = AlertForm(_as_form_data(payload.dict()), collective=request.user.collective)
    if not form.is_valid():
        return _bad_request(request, _form_errors(form))
    alert = do_raise_alert(request.user, form.cleaned_data["area"], form.cleaned_data["hours"])
    return Status(201, AlertOut.of(alert))
