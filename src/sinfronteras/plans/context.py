"""What every page shows a logged-in member: alerts on now, and tasks waiting for them."""

from __future__ import annotations

from .lifecycle import waiting_for
from .models import AreaAlert
from .task_messages import unread_task_ids


def for_every_page(request) -> dict:
    """Context processor: the collective's alerts (the banner), how many tasks wait for
    the member's answer, and how many have a message new to them (the menu's badges)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {"area_alerts": list(AreaAlert.objects.on_in(user.collective_id).select_related("area")),
            "tasks_waiting": waiting_for(user), "tasks_unread": len(unread_task_ids(user))}
