"""Alert routes of the JSON API: a hotline or a chat bot can pause deliveries in an area."""

from __future__ import annotations

from ninja import Router, Status

from sinfronteras.plans.alerts import AlertForm, do_raise_alert
from sinfronteras.plans.models import AreaAlert

from .errors import WRITE_ERRORS, answers, bad_request, form_errors
from .schemas import AlertIn, AlertOut, as_form_data

router = Router()


@router.get("/alerts", response=answers(list[AlertOut]), tags=["alerts"])
def list_alerts(request):
    """Alerts on now in your collective: deliveries in these areas are paused."""
    return [AlertOut.of(a) for a in AreaAlert.objects.on_in(request.user.collective_id)]


@router.post("/alerts", response=answers({201: AlertOut}, *WRITE_ERRORS), tags=["alerts"])
def raise_alert(request, payload: AlertIn):
    """Pause deliveries in an area for 1 to 72 hours (any member may)."""
    form = AlertForm(as_form_data(payload.dict()), collective=request.user.collective)
    if not form.is_valid():
        return bad_request(form_errors(form))
    alert = do_raise_alert(request.user, form.cleaned_data["area"], form.cleaned_data["hours"])
    return Status(201, AlertOut.of(alert))
