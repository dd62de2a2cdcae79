from __future__ import annotations

from .models import PushSubscription

#: Devices one member may have receive push notes.
MAX_DEVICES = 10


def do_subscribe(member, *, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep this device's subscription for the member (a shared device moves to them)."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"member": member, "p256dh": p256dh, "auth": auth})
    extra = member.push_subscriptions.order_by("-created_at", "-pk").values_list("pk", flat=True)[MAX_DEVICES:]
    PushSubscription.objects.filter(pk__in=list(extra)).delete()
    return subscription
