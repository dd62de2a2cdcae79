"""The worker's SMS jobs. Their arguments hold no number and no clear text: a member's
id, a notification kind, or a reply sealed with the seal keys."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from sinfronteras.members.models import Member
from sinfronteras.plans.sealing import Unreadable, seal, unseal

from .channel import SmsChannel, note_of
from .gateway import GatewayError, configured_gateway
from .inbound import do_receive
from .models import SmsClaim, SmsKind
from .outbox import send_to_member

logger = logging.getLogger(__name__)

#: A job whose gateway is down tries again after 1, 2, 4, 8 minutes, then gives up.
ATTEMPTS = 5


def _again(job, attempt: int, *args) -> str:
    """Queue the job again with backoff (where the backend can wait); what happened."""
    if attempt + 1 >= ATTEMPTS or not getattr(task_backends[job.backend], "supports_defer", False):
        logger.warning("sms: the gateway did not take an SMS; given up")
        return "failed"
    job.using(run_after=timezone.now() + timedelta(minutes=2 ** attempt)).enqueue(*args, attempt + 1)
    logger.warning("sms: the gateway did not take an SMS; trying again later")
    return "retry"


@task()
def deliver_reply(member_id: int, sealed_text: str, attempt: int = 0) -> str:
    """Send the reply to a member's SMS."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return "gone"
    try:
        text = unseal(sealed_text.encode())
    except Unreadable:
        return "unreadable"
    try:
        return "sent" if send_to_member(member, text, SmsKind.REPLY) else "skipped"
    except GatewayError:
        return _again(deliver_reply, attempt, member_id, sealed_text)


@task()
def send_sms_notification(member_id: int, kind: str, attempt: int = 0) -> str:
    """Send one notification of ``kind`` to a member who chose SMS, within the day's limit."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    channel = SmsChannel()
    if member is None or not channel.wants(member, kind):
        return "skipped"
    try:
        return "sent" if channel.deliver(member, note_of(kind)) else "skipped"
    except GatewayError:
        return _again(send_sms_notification, attempt, member_id, kind)


@task()
def receive_sms(sealed_event: str) -> str:
    """Handle one verified inbound SMS (the webhook only checks and queues it): find its
    member, do what it asks, queue the reply; or answer a stranger once a day."""
    gateway = configured_gateway()
    if gateway is None:
        return "off"
    try:
        inbound = json.loads(unseal(sealed_event.encode()))
    except Unreadable:
        return "unreadable"
    what, member, reply = do_receive(gateway, inbound)
    if member is not None:
        deliver_reply.enqueue(member.pk, seal(reply).decode())
    return what


@task()
def send_number_code(claim_id: int, sealed_code: str, attempt: int = 0) -> str:
    """Send the confirmation code to a number a member typed (in the member's language)."""
    claim = SmsClaim.objects.select_related("member").filter(
        pk=claim_id, expires_at__gt=timezone.now()).first()
    gateway = configured_gateway()
    if claim is None or gateway is None:
        return "gone"
    try:
        number, code = unseal(claim.ciphertext), unseal(sealed_code.encode())
    except Unreadable:
        return "unreadable"
    with translation.override(claim.member.language or "en"):
        text = _("Your code: %(code)s. To confirm this number, text it back to the number this "
                 "SMS comes from. Not you? Ignore this SMS.") % {"code": code}
    try:
        gateway.send(number, text)
    except GatewayError:
        return _again(send_number_code, attempt, claim_id, sealed_code)
    return "sent"
