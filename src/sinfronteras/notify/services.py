from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import PushSubscription

#: Devices one member may have receive push notes.
MAX_DEVICES = 10


class EndpointTaken(Exception):
    """Another member's device already receives notes at this endpoint."""


def do_subscribe(member, *, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep this device's subscription for the member. An endpoint another member has is
    refused (``EndpointTaken``), never moved: whoever knows it could otherwise take it."""
    with transaction.atomic():
        if PushSubscription.objects.filter(endpoint=endpoint).exclude(member=member).exists():
            raise EndpointTaken
        try:
            with transaction.atomic():
                subscription, _ = PushSubscription.objects.update_or_create(
                    endpoint=endpoint, member=member, defaults={"p256dh": p256dh, "auth": auth})
        except IntegrityError:  # the same endpoint, at the same instant, by someone else
            raise EndpointTaken from None
    extra = member.push_subscriptions.order_by("-created_at", "-pk").values_list("pk", flat=True)[MAX_DEVICES:]
    PushSubscription.objects.filter(pk__in=list(extra)).delete()
    return subscription
