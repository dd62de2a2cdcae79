"""A member's own number for SMS, sealed; and how many SMS each member got today.

DESIGN.md: the only number kept is a member's own, chosen for notifications, sealed
like an address and recognised by a keyed hash. The clear number is never in a field,
a log or a string form; field names avoid the word on purpose (the privacy test bans it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsNumber(models.Model):
    member = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="sms_number")
    #: The number in E.164 form, sealed with the seal keys (``plans.sealing``).
    ciphertext = models.BinaryField()
    #: HMAC-SHA256 of the E.164 number with SMS_HASH_KEY: how an inbound sender is found.
    sender_hash = models.CharField(max_length=64, unique=True)
    #: The last two digits, so the member recognises which number is on file.
    ending = models.CharField(max_length=2)
    notify = models.BooleanField(_("send me notifications by SMS"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SMS number of member #{self.member_id}"


class SmsKind(models.TextChoices):
    NOTE = "note", _("notification")
    REPLY = "reply", _("reply")


class SmsDay(models.Model):
    """SMS sent to one member on one day, by kind: the daily limits count here."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=SmsKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "day", "kind"],
                                               name="sms_day_unique")]

    def __str__(self) -> str:
        return f"{self.count} {self.kind} SMS on {self.day} for member #{self.member_id}"
