"""How many SMS of each kind a member may get a day, and the count of today's.

Below ``outbox`` (which sends within these limits) and ``numbers`` (which counts the
confirmation codes it asks for).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SmsDay, SmsKind


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
