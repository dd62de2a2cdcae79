"""What every page shows a logged-in member: alerts on now, and tasks waiting for them."""

from __future__ import annotations

from .lifecycle import waiting_for
from .models import AreaAlert


def for_every_page(request) -> dict:
    """Context processor: the collective's alerts (the banner) and how many tasks wait for
    the member's answer (the menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    alerts = AreaAlert.objects.active().filter(collective_id=user.collective_id)
    return {"area_alerts": list(alerts.select_related("area").order_by("until")),
            "tasks_waiting": waiting_for(user)}
