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
    CODE = "code", _("confirmation code")


class SmsClaim(models.Model):
    """A number a member typed, not theirs until they text back the code sent to it.

    The page answers the same whether the number is free or someone else's: only the
    phone that holds the number can make it a member's (``numbers.do_confirm_claim``).
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="sms_claim")
    #: The number in E.164 form, sealed with the seal keys.
    ciphertext = models.BinaryField()
    #: The keyed hash of the number (as ``SmsNumber.sender_hash``), not unique: two members
    #: may type the same number; the phone that texts the code back decides.
    sender_hash = models.CharField(max_length=64, db_index=True)
    ending = models.CharField(max_length=2)
    notify = models.BooleanField(default=True)
    #: Keyed hash of the code sent (the code itself is in no row).
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"SMS number claimed by member #{self.member_id}"


class SmsSeen(models.Model):
    """What the webhook must do only once for a while: an event (the gateway retries), the
    one neutral reply a day to a stranger. A keyed hash and an expiry, nothing else; the
    unique constraint makes "once" hold across processes (never a cache that culls)."""

    EVENT = "event"
    STRANGER = "stranger"

    kind = models.CharField(max_length=8)
    key = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="sms_seen_unique")]

    def __str__(self) -> str:
        return f"SMS {self.kind} seen until {self.expires_at:%Y-%m-%d %H:%M}"


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


class DemoPhoneSms(models.Model):
    """An SMS on the demo's simulated phone (``SMS_DEMO_PHONE``, never in production): the
    phone's number by its keyed hash only, the text sealed, as every SMS here."""

    sender_hash = models.CharField(max_length=64, db_index=True)
    #: True: the phone received it from the site; False: the phone sent it.
    received = models.BooleanField()
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"demo phone SMS #{self.pk}"
