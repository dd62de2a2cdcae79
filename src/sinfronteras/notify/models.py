"""What a member chose to be told, and the devices that receive push notes.

A push subscription's endpoint is a capability URL of a push service: it is kept only
to send, never shown, logged or put in a model's string form.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import KINDS


def all_kinds() -> list[str]:
    return list(KINDS)


class Preference(models.Model):
    """Which kinds of note a member wants, and when not to be disturbed (local time).

    A member with no row gets every kind at any hour: the defaults.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE,
                                  related_name="notify_preference")
    kinds = models.JSONField(default=all_kinds)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)

    def __str__(self) -> str:
        return f"notification preferences #{self.pk}"

    def wants(self, kind: str) -> bool:
        return kind in self.kinds

    def is_quiet(self, now=None) -> bool:
        """Whether ``now`` (local time) falls in the quiet hours; they may span midnight."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return False
        clock = timezone.localtime(now or timezone.now()).time().replace(tzinfo=None)
        return quiet_at(clock, self.quiet_start, self.quiet_end)


def quiet_at(clock: time, start: time, end: time) -> bool:
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def preference_of(member) -> Preference:
    """The member's preferences, unsaved defaults if they never chose."""
    found = Preference.objects.filter(member=member).first()
    return found or Preference(member=member)


class PushSubscription(models.Model):
    """One device's Web Push subscription (the browser's endpoint and its keys)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                               related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=120)
    auth = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"push subscription #{self.pk}"  # never the endpoint

    def info(self) -> dict:
        """The subscription as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ClosingReminder(models.Model):
    """That the members who may vote were told a proposal closes tomorrow (once)."""

    proposal = models.OneToOneField("assembly.Proposal", models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"closing reminder #{self.pk}"
