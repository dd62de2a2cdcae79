"""Notifications by SMS: the ``sms`` channel of the notification registry.

A notification says only a generic sentence in the member's language (no name,
address, area or amount: phone companies read SMS) and is sent by the worker, never in
a request, within ``SMS_NOTES_PER_DAY`` a member.

- ``SmsChannel().wants(member, kind)``: the member has a number, chose notifications by
  SMS, the kind is known and the collective has a gateway.
- ``SmsChannel().send(member, note)``: send it now (in the worker); ``note`` has
  ``.kind``, ``.path`` and ``.text(language)``. Raises ``GatewayError`` when the gateway
  does not take it (nothing counted then).
- ``services.do_send_sms_notification(member, kind)`` queues the worker's job that does both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sinfronteras.notify.channels import Channel, Retry

from .gateway import GatewayError, configured_gateway
from .models import SmsKind, SmsNumber
from .outbox import send_to_member

#: Each kind of notification and its sentence. No name, address, area or amount.
SENTENCES = {
    "task_proposed": _("A new task is proposed to you. Text TASKS to see it."),
    "need_on_its_way": _("What you asked for is on its way."),
    "task_message": _("There is a new message on one of your tasks."),
    "alert_raised": _("An alert is on in your area: deliveries there are paused."),
    "alert_lifted": _("The alert in your area is lifted: deliveries go on."),
    "vote_closes_tomorrow": _("A proposal you can vote on closes tomorrow."),
    "task_dropped": _("A delivery you were told about changed. Text TASKS to see it."),
    "carry_planned": _("A carrier will pick up something you give: see My tasks on the site."),
}
PATHS = {"task_proposed": "/tasks/", "need_on_its_way": "/needs/", "task_message": "/tasks/",
         "alert_raised": "/alerts/", "alert_lifted": "/alerts/", "vote_closes_tomorrow": "/decisions/",
         "task_dropped": "/tasks/", "carry_planned": "/tasks/"}
KINDS = tuple(SENTENCES)


@dataclass(frozen=True)
class Note:
    """A notification as every channel sees it: a kind, a page, a generic sentence."""

    kind: str
    path: str

    def text(self, language: str) -> str:
        with translation.override(language or "en"):
            return str(SENTENCES[self.kind])


def note_of(kind: str) -> Note:
    if kind not in SENTENCES:
        raise ValueError(f"no SMS sentence for the notification kind {kind!r}; "
                         f"known: {', '.join(KINDS)}")
    return Note(kind=kind, path=PATHS[kind])


class SmsChannel:
    name = "sms"

    def wants(self, member, kind) -> bool:
        return (kind in SENTENCES and configured_gateway() is not None and member.is_active
                and SmsNumber.objects.filter(member=member, notify=True).exists())

    def deliver(self, member, note) -> bool:
        """Send now; False if not sent (no number, the day's limit reached)."""
        return send_to_member(member, note.text(member.language), SmsKind.NOTE)

    def send(self, member, note) -> None:
        self.deliver(member, note)


def notify_channel():
    """The SMS channel as the notify core sees it (registered by this app's ``ready``).

    The core checks the member's kinds and quiet hours and runs ``send`` in the worker;
    this channel adds its own rules (a number that chose notifications, the daily limit)
    and words each kind with its SMS sentence, which carries no link.
    """
    return NotifySms()


class NotifySms(Channel):
    """The SMS channel in the notify core's terms (see ``notify_channel``)."""

    name = SmsChannel.name

    def wants(self, member, kind) -> bool:
        return SmsChannel().wants(member, kind)

    def send(self, member, note) -> None:
        try:
            SmsChannel().send(member, note_of(note.kind))
        except GatewayError as refused:
            raise Retry(str(refused)) from None
