"""The audit log: every power used, by whom (or by the system), and on which decision.

No account has hidden powers (DESIGN.md, principle 5). An event says what was
done in words and data that name no address and no client: never an IP address,
never a user agent, never free text about a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    collective = models.ForeignKey("members.Collective", models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", help_text="Empty: the system itself acted.")
    action = models.CharField(max_length=60)  # e.g. "settings.changed", "plan.run"
    data = models.JSONField(default=dict, blank=True)
    decision_ref = models.PositiveIntegerField(null=True, blank=True,
                                               help_text="The decision this carried out, if any.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


def plain(value):
    """A value as an event's data keeps it: JSON's own types as they are, others as text."""
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def record(collective, action: str, *, actor=None, data=None, decision_ref=None) -> Event:
    """Write one audit event (call inside the transaction that does the change)."""
    return Event.objects.create(collective=collective, actor=actor, action=action,
                                data=data or {}, decision_ref=decision_ref)
