"""What every page shows a logged-in member: alerts on now, and tasks waiting for them."""

from __future__ import annotations

from .alerts import alerts_on
from .lifecycle import waiting_for
from .task_messages import unread_task_ids


def for_every_page(request) -> dict:
    """Context processor: the collective's alerts (the banner), how many tasks wait for
    the member's answer, and how many have a message new to them (the menu's badges)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {"area_alerts": alerts_on(user.collective_id),
            "tasks_waiting": waiting_for(user), "tasks_unread": len(unread_task_ids(user))}
