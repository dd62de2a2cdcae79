"""Delivery addresses and pickup points: sealed on entry, readable by one carrier in
one window, destroyed after (or at once, by the person who gave them)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .alerts import alerted_area_ids
from .models import LIVE_TASK, SealedAddress, SealedPickup, Task, TaskKind, TaskState
from .sealing import Unreadable, seal, unseal


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Delivery address or meeting point"), max_length=300, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Sealed at once. Only the volunteer of an accepted delivery reads it, "
                    "only during the delivery window; then it is destroyed."),
    )


class PickupForm(forms.Form):
    address = forms.CharField(
        label=_("Pickup point"), max_length=300, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Where the volunteer picks it up. Sealed at once: only the volunteer of an "
                    "accepted carry reads it, only during its window; then it is destroyed."),
    )


@transaction.atomic
def do_seal_address(need, text: str) -> None:
    SealedAddress.objects.update_or_create(need=need, defaults={"ciphertext": seal(text),
                                                                "created_at": timezone.now()})


def do_delete_address(need) -> bool:
    """The person in need takes their address back; True if there was one."""
    return SealedAddress.objects.filter(need=need).delete()[0] > 0


@transaction.atomic
def do_seal_pickup(offer, text: str) -> None:
    SealedPickup.objects.update_or_create(offer=offer, defaults={"ciphertext": seal(text),
                                                                 "created_at": timezone.now()})


def do_delete_pickup(offer) -> bool:
    return SealedPickup.objects.filter(offer=offer).delete()[0] > 0


def _carrier_now(member, task, area_id) -> bool:
    """The one rule for sealed places: this task's carrier, accepted, in its window, and no
    alert at that place (nobody goes, so nobody reads it)."""
    if task.carrier_id != member.pk or task.state != TaskState.ACCEPTED or not task.in_window():
        return False

    return area_id not in alerted_area_ids(task.need.collective_id)


def _open(sealed) -> str | None:
    if sealed is None:
        return None
    try:
        return unseal(sealed.ciphertext)
    except Unreadable:
        return None


def readable_address(member, task) -> str | None:
    """The address, only for this task's carrier, only if accepted and in its window."""
    if not _carrier_now(member, task, task.need.area_id):
        return None
    return _open(SealedAddress.objects.filter(need_id=task.need_id).first())


def readable_pickup(member, task) -> str | None:
    """The giver's pickup point, only for the carrier of an accepted carry, in its window."""
    if task.kind != TaskKind.CARRY or not _carrier_now(member, task, task.offer.area_id):
        return None
    return _open(SealedPickup.objects.filter(offer_id=task.offer_id).first())


def destroy_used_pickup(offer_id) -> None:
    """A carry is done: the pickup point goes unless another live carry still needs it."""
    if not Task.objects.filter(LIVE_TASK, offer_id=offer_id, kind=TaskKind.CARRY).exists():
        SealedPickup.objects.filter(offer_id=offer_id).delete()
