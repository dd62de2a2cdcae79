"""What a member's page asks of SMS: each queues one of the worker's jobs (``jobs.py``)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sinfronteras.plans.sealing import seal

from .channel import note_of
from .jobs import send_number_code, send_sms_notification
from .limits import take_one
from .models import SmsClaim, SmsKind, SmsNumber
from .numbers import CODE_MINUTES, code_hash, normalize, sender_hash


class TooManyCodes(Exception):
    """The member asked for today's last confirmation code already."""


def do_claim_number(member, text: str, notify: bool) -> SmsClaim | None:
    """Start making a typed number the member's: a code goes to it (by the worker).

    The answer is the same whether the number is free or someone else's, so the page
    tells nobody who is a member. Returns the claim, or ``None`` when the number is the
    member's already (only the choice of notifications changes). ``BadNumber`` says how
    to write the number; ``TooManyCodes`` that today's codes are spent.
    """
    number = normalize(text)
    digest = sender_hash(number)
    if SmsNumber.objects.filter(member=member, sender_hash=digest).update(notify=notify):
        SmsClaim.objects.filter(member=member).delete()
        return None
    if not take_one(member, SmsKind.CODE):
        raise TooManyCodes
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction.atomic():
        claim, _created = SmsClaim.objects.update_or_create(member=member, defaults={
            "ciphertext": seal(number), "sender_hash": digest, "ending": number[-2:],
            "notify": notify, "code_hash": code_hash(code), "attempts": 0,
            "expires_at": timezone.now() + timedelta(minutes=CODE_MINUTES)})
        send_number_code.enqueue(claim.pk, seal(code).decode())
    return claim


def do_send_sms_notification(member, kind: str):
    """Queue the worker's job that sends a notification of ``kind`` by SMS (if wanted)."""
    note_of(kind)  # an unknown kind is a programming error: say so here, not in the worker
    return send_sms_notification.enqueue(member.pk, kind)
