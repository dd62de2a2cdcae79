"""An inbound SMS, once its webhook is verified: find the member by the keyed hash of
the sender, do what it asks, queue the reply for the worker.

An unknown sender gets one neutral reply a day that says nothing about the collective,
and nothing about them is stored: the only trace is a cache entry, under the keyed
hash, that expires after a day (so an auto-responder cannot start a loop).
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from sinfronteras.plans.sealing import seal

from .commands import reply_to
from .gateway import GatewayError
from .numbers import BadNumber, member_for_sender, normalize, sender_hash

logger = logging.getLogger(__name__)

#: The reply to a number nobody here added: it could be anyone's wrong number.
NEUTRAL = "Número equivocado. / Wrong number."
#: The longest SMS text read (a few concatenated parts).
MAX_TEXT = 480


def do_receive(gateway, inbound: dict) -> str:
    """Handle one verified ``sms:received``; says what happened ("member", "unknown")."""
    from .jobs import deliver_reply

    member = member_for_sender(inbound["sender"])
    if member is None:
        _answer_a_stranger(gateway, inbound["sender"])
        return "unknown"
    text = reply_to(member, inbound["text"][:MAX_TEXT], inbound.get("id", ""))
    deliver_reply.enqueue(member.pk, seal(text).decode())
    return "member"


def _answer_a_stranger(gateway, sender: str) -> None:
    try:
        number = normalize(sender)
    except BadNumber:
        return  # a short code or a service: nobody to answer
    if not cache.add(f"sms-stranger:{sender_hash(number)}", 1, timeout=24 * 3600):
        return
    try:
        gateway.send(number, NEUTRAL)
    except GatewayError as error:
        logger.warning("sms: a neutral reply was not sent: %s", error)
