"""``{% organizing_due user %}``: the member's follow-ups and commitments due, for "My tasks"."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from sinfronteras.organizing.models import Commitment, CommitmentState, Conversation

register = template.Library()

#: Show what comes due within this many days, as well as what is due already.
SOON_DAYS = 7


@register.inclusion_tag("organizing/due.html")
def organizing_due(member):
    if not getattr(member, "is_authenticated", False):
        return {"follow_ups": [], "commitments": []}
    today = timezone.localdate()
    horizon = today + timedelta(days=SOON_DAYS)
    follow_ups = (Conversation.objects.visible_to(member)
                  .filter(follow_up_by=member, followed_up_at__isnull=True,
                          follow_up_on__lte=horizon)
                  .select_related("area").order_by("follow_up_on", "pk")[:30])
    commitments = (Commitment.objects.filter(member=member, state=CommitmentState.DUE,
                                             due_on__lte=horizon)
                   .select_related("action").order_by("due_on", "pk")[:30])
    return {"follow_ups": follow_ups, "commitments": commitments, "today": today}
