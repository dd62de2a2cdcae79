"""An inbound SMS, once its webhook is verified and queued: in the worker, find the member
by the keyed hash of the sender, do what it asks, queue the reply.

A code texted back confirms the number a member typed (``numbers.do_confirm_claim``).
An unknown sender gets one neutral reply a day that says nothing about the collective;
the only trace is a row under the keyed hash of their number that expires after a day
(``SmsSeen``), so an auto-responder cannot start a loop.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils import translation

from .commands import plain, reply_to
from .gateway import GatewayError
from .models import SmsSeen
from .numbers import BadNumber, do_confirm_claim, member_for_sender, normalize, sender_hash

logger = logging.getLogger(__name__)

#: The reply to a number nobody here added: it could be anyone's wrong number.
NEUTRAL = "Número equivocado. / Wrong number."
#: The longest SMS text read (a few concatenated parts).
MAX_TEXT = 480
#: A stranger gets one neutral reply in this long.
STRANGER_SECONDS = 24 * 3600


def once(kind: str, key: str, seconds: int) -> bool:
    """True the first time ``(kind, key)`` is seen in ``seconds``; False while it is on record.

    A row with a unique constraint and an expiry: it holds across processes and never
    forgets early, whatever else arrives in between.
    """
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    SmsSeen.objects.filter(expires_at__lte=now - timedelta(minutes=5)).delete()
    if SmsSeen.objects.filter(kind=kind, key=key, expires_at__lte=now).update(expires_at=until):
        return True  # on record once, but expired
    try:
        with transaction.atomic():
            SmsSeen.objects.create(kind=kind, key=key, expires_at=until)
    except IntegrityError:
        return False
    return True


def event_key(event_id: str) -> str:
    return hashlib.sha256(f"sms-event:{event_id}".encode()).hexdigest()


def do_receive(gateway, inbound: dict) -> tuple[str, object, str]:
    """Handle one verified ``sms:received`` (in the worker).

    Returns what happened, and the member to answer with the reply (the worker's job
    queues it), or ``None`` and ``""`` when no member is to be answered.
    """
    try:
        number = normalize(inbound["sender"])
    except BadNumber:
        return "ignored", None, ""  # a short code or a service: nobody to answer
    text = inbound["text"][:MAX_TEXT]
    confirmed, was_code = do_confirm_claim(number, plain(text))
    if confirmed is not None:
        with translation.override(confirmed.language or "en"):
            reply = _("This number is confirmed: our SMS come here now. Text HELP for what "
                      "you can text.")
        return "confirmed", confirmed, reply
    member = member_for_sender(number)
    if member is None:
        _answer_a_stranger(gateway, number, was_code)
        return "unknown", None, ""
    reply = reply_to(member, text, inbound.get("id", ""))
    return "member", member, reply


def _answer_a_stranger(gateway, number: str, was_code: bool) -> None:
    if not once(SmsSeen.STRANGER, sender_hash(number), STRANGER_SECONDS):
        return
    text = NEUTRAL
    if was_code:  # someone typed this number on the site: say the code did not match
        text = "Código incorrecto: pide otro en la web. / Wrong code: ask for another on the site."
    try:
        gateway.send(number, text)
    except GatewayError as error:
        logger.warning("sms: a neutral reply was not sent: %s", error)
