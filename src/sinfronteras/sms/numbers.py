"""Members' numbers: written any way, kept in one form, sealed, recognised by a keyed hash.

The keyed hash (HMAC-SHA256) lets an inbound SMS find its member without the number
ever being stored in clear; without the key (SMS_HASH_KEY or its file, never in the
database) the hashes of every possible number cannot be tried.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.plans.sealing import Unreadable, seal, unseal
from sinfronteras.web.keyfiles import make_once

from .models import SmsClaim, SmsNumber

#: How long a code sent to a typed number can be texted back.
CODE_MINUTES = 30
#: Wrong codes texted from a number before its claim is dropped.
CODE_ATTEMPTS = 5
#: What a texted code looks like: six digits, alone or after CODE / CODIGO.
CODE_TEXT = re.compile(r"^(?:(?:CODE|CODIGO)\s*)?(\d{6})$")


class BadNumber(ValueError):
    """Not a number an SMS can go to; the message says how to write it."""


def normalize(text: str, country_code: str | None = None) -> str:
    """The E.164 form (``+`` and up to 15 digits) of a number written any usual way.

    Without ``+`` or ``00`` the country code of the setting is put in front (a leading
    trunk ``0`` dropped); US/Canada numbers may be written with or without the 1.

    >>> normalize("(213) 555-0123", "1")
    '+12135550123'
    >>> normalize("1 213 555 0123", "1")
    '+12135550123'
    >>> normalize("+52 55 1234 5678", "1")
    '+525512345678'
    >>> normalize("0044 20 7946 0958", "1")
    '+442079460958'
    """
    code = country_code if country_code is not None else settings.SMS_COUNTRY_CODE
    raw = text.strip()
    if re.search(r"[^\d\s()+.\-/]", raw):
        raise BadNumber(_("Write only digits, spaces and a + in front, e.g. +1 213 555 0123."))
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        full = digits
    elif digits.startswith("00"):
        full = digits[2:]
    elif code == "1" and len(digits) == 11 and digits.startswith("1"):
        full = digits
    else:
        full = code + (digits[1:] if digits.startswith("0") and code != "1" else digits)
    if not 8 <= len(full) <= 15 or full.startswith("0"):
        raise BadNumber(_("That is not a whole number: write it with its country code, "
                          "e.g. +1 213 555 0123."))
    return "+" + full


def _hash_key() -> bytes:
    if settings.SMS_HASH_KEY:
        return settings.SMS_HASH_KEY.encode()
    path = Path(settings.SMS_HASH_KEY_FILE)
    if not path.exists():
        make_once(path, (secrets.token_urlsafe(32) + "\n").encode())
    key = path.read_text().strip()
    if len(key) < 16:
        raise ImproperlyConfigured(f"{path} holds no SMS hash key of at least 16 characters.")
    return key.encode()


def sender_hash(number: str) -> str:
    """The keyed hash of a number in E.164 form."""
    return hmac.new(_hash_key(), number.encode(), hashlib.sha256).hexdigest()


def member_for_sender(sender: str):
    """The active member whose number sent an SMS, or ``None``; with a member's power only."""
    try:
        number = normalize(sender)
    except BadNumber:
        return None
    row = (SmsNumber.objects.select_related("member__collective", "member__area")
           .filter(sender_hash=sender_hash(number), member__is_active=True).first())
    if row is None:
        return None
    member = row.member
    member.coordinator_power = False  # an SMS is no second factor: it acts as a member
    return member


def number_of(member) -> str | None:
    """The member's number in clear, for the gateway only; ``None`` if none or unreadable."""
    row = SmsNumber.objects.filter(member=member).first()
    if row is None:
        return None
    try:
        return unseal(row.ciphertext)
    except Unreadable:
        return None


def code_hash(code: str) -> str:
    return hmac.new(_hash_key(), f"code:{code}".encode(), hashlib.sha256).hexdigest()


def pending_claim(member) -> SmsClaim | None:
    return SmsClaim.objects.filter(member=member, expires_at__gt=timezone.now()).first()


def do_confirm_claim(number: str, text: str):
    """A phone texted what may be a code: ``(member, seen)``.

    ``member`` is the one whose claim the code confirms, else ``None``; ``seen`` is True
    when the text was a code for a claim of this number, right or wrong. ``number`` is
    the sender in E.164 form, ``text`` the SMS as ``commands.plain`` writes it. A right
    code makes the number that member's (taken from whoever had it: the phone's holder
    decides); a wrong one counts against every claim of that number, dropped after
    ``CODE_ATTEMPTS``.
    """
    match = CODE_TEXT.match(text)
    digest = sender_hash(number)
    claims = SmsClaim.objects.filter(sender_hash=digest, expires_at__gt=timezone.now())
    if match is None or not claims.exists():
        return None, False
    wanted = code_hash(match.group(1))
    with transaction.atomic():
        claim = claims.select_for_update().filter(code_hash=wanted).select_related("member").first()
        if claim is None or not claim.member.is_active:
            claims.update(attempts=F("attempts") + 1)
            SmsClaim.objects.filter(sender_hash=digest, attempts__gte=CODE_ATTEMPTS).delete()
            return None, True
        SmsNumber.objects.filter(sender_hash=digest).exclude(member=claim.member).delete()
        SmsNumber.objects.update_or_create(member=claim.member, defaults={
            "ciphertext": seal(number), "sender_hash": digest, "ending": claim.ending,
            "notify": claim.notify})
        member = claim.member
        SmsClaim.objects.filter(sender_hash=digest).delete()  # every claim of this number
    return member, True


@transaction.atomic
def do_set_number(member, text: str, notify: bool) -> SmsNumber:
    """Seal a number proven to be the member's (replacing theirs); ``BadNumber`` says what
    to fix. The page never calls this directly: a number is proven by ``do_confirm_claim``."""
    number = normalize(text)
    digest = sender_hash(number)
    if SmsNumber.objects.filter(sender_hash=digest).exclude(member=member).exists():
        raise BadNumber(_("This number cannot be used here. Use another one."))
    try:
        with transaction.atomic():
            row, _created = SmsNumber.objects.update_or_create(
                member=member, defaults={"ciphertext": seal(number), "sender_hash": digest,
                                         "ending": number[-2:], "notify": notify})
    except IntegrityError:  # the same number, at the same instant, by someone else
        raise BadNumber(_("This number cannot be used here. Use another one.")) from None
    return row


def do_set_notify(member, notify: bool) -> int:
    return SmsNumber.objects.filter(member=member).update(notify=notify)


def do_remove_number(member) -> bool:
    """The member takes their number back (and any number waiting for its code); True if
    there was one."""
    SmsClaim.objects.filter(member=member).delete()
    return SmsNumber.objects.filter(member=member).delete()[0] > 0
