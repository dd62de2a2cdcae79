"""Sending one SMS to a member, within their daily limits. Called by the worker's jobs
(``jobs.py``) only: the webhook sends nothing itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .gateway import configured_gateway
from .models import SmsDay, SmsKind
from .numbers import number_of


#: Confirmation codes a member may ask for a day (each goes to a number they typed).
CODES_PER_DAY = 5


def _limit(kind: str) -> int:
    if kind == SmsKind.CODE:
        return CODES_PER_DAY
    return settings.SMS_NOTES_PER_DAY if kind == SmsKind.NOTE else settings.SMS_REPLIES_PER_DAY


def take_one(member, kind: str) -> bool:
    """Count one more SMS of ``kind`` for today; False (and nothing counted) at the limit."""
    day = timezone.localdate()
    try:
        with transaction.atomic():
            SmsDay.objects.get_or_create(member=member, day=day, kind=kind)
    except IntegrityError:
        pass  # made at the same instant by another worker
    taken = SmsDay.objects.filter(member=member, day=day, kind=kind,
                                  count__lt=_limit(kind)).update(count=F("count") + 1)
    SmsDay.objects.filter(member=member, day__lt=day - timedelta(days=1)).delete()
    return bool(taken)


def give_back(member, kind: str) -> None:
    SmsDay.objects.filter(member=member, day=timezone.localdate(), kind=kind,
                          count__gt=0).update(count=F("count") - 1)


def sent_today(member, kind: str) -> int:
    row = SmsDay.objects.filter(member=member, day=timezone.localdate(), kind=kind).first()
    return row.count if row else 0


def send_to_member(member, text: str, kind: str) -> bool:
    """Send ``text`` to the member's number. False if SMS is off, the member has no number,
    or the day's limit is reached; ``GatewayError`` if the gateway did not take it (then
    it is not counted)."""
    gateway = configured_gateway()
    number = number_of(member) if gateway else None
    if number is None or not take_one(member, kind):
        return False
    try:
        gateway.send(number, text)
    except Exception:
        give_back(member, kind)
        raise
    return True
