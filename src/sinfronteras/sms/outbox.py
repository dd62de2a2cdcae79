"""Sending one SMS to a member, within their daily limits. Called by the worker's jobs
(``jobs.py``) only: the webhook sends nothing itself."""

from __future__ import annotations

from .gateway import configured_gateway
from .limits import give_back, take_one
from .numbers import number_of


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
