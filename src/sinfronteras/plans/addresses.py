"""Delivery addresses: sealed on entry, readable by one carrier in one window."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SealedAddress, TaskState
from .sealing import Unreadable, seal, unseal


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Delivery address or meeting point"), max_length=300, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Sealed at once. Only the volunteer of an accepted delivery reads it, "
                    "only during the delivery window; then it is destroyed."),
    )
    clear = forms.BooleanField(required=False, widget=forms.HiddenInput)


@transaction.atomic
def do_seal_address(need, text: str) -> None:
    SealedAddress.objects.update_or_create(need=need, defaults={"ciphertext": seal(text),
                                                                "created_at": timezone.now()})


def readable_address(member, task) -> str | None:
    """The address, only for this task's carrier, only if accepted and in its window."""
    if task.carrier_id != member.pk or task.state != TaskState.ACCEPTED or not task.in_window():
        return None
    from .alerts import alerted_area_ids

    if task.need.area_id in alerted_area_ids(task.need.collective_id):
        return None  # an alert there: nobody goes, so nobody reads it
    sealed = SealedAddress.objects.filter(need_id=task.need_id).first()
    if sealed is None:
        return None
    try:
        return unseal(sealed.ciphertext)
    except Unreadable:
        return None
