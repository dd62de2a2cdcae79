"""``{% organizing_due user %}``: the member's follow-ups and commitments due, for "My tasks"."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from sinfronteras.organizing.models import Commitment, CommitmentState, Conversation
from sinfronteras.prepared import PreparedQuery
from sinfronteras.sharing.lists import reader

register = template.Library()

#: Show what comes due within this many days, as well as what is due already.
SOON_DAYS = 7


#: Most follow-ups and most commitments listed.
SHOWN = 30


def _follow_ups(by_coordinator: bool) -> PreparedQuery:
    """A member's follow-ups due by a date, among the conversations they may see
    (``Conversation.objects.visible_to``), for a coordinator or a member."""
    def build(member_id, collective_id, horizon):
        return (Conversation.objects.visible_to(reader(member_id, collective_id, by_coordinator))
                .filter(follow_up_by_id=member_id, followed_up_at__isnull=True,
                        follow_up_on__lte=horizon)
                .select_related("area").order_by("follow_up_on", "pk")[:SHOWN])
    return PreparedQuery(build, member_id="id", collective_id="id", horizon="date")


#: Compiled once each (*My tasks*): ``Conversation.objects.visible_to``'s two cases.
_FOLLOW_UPS = {True: _follow_ups(True), False: _follow_ups(False)}
_COMMITMENTS = PreparedQuery(lambda member_id, horizon: (
    Commitment.objects.filter(member_id=member_id, state=CommitmentState.DUE, due_on__lte=horizon)
    .select_related("action").order_by("due_on", "pk")[:SHOWN]), member_id="id", horizon="date")


@register.inclusion_tag("organizing/due.html")
def organizing_due(member):
    if not getattr(member, "is_authenticated", False):
        return {"follow_ups": [], "commitments": []}
    today = timezone.localdate()
    horizon = today + timedelta(days=SOON_DAYS)
    follow_ups = _FOLLOW_UPS[bool(member.is_coordinator)].objects(
        member_id=member.pk, collective_id=member.collective_id, horizon=horizon)
    commitments = _COMMITMENTS.objects(member_id=member.pk, horizon=horizon)
    return {"follow_ups": follow_ups, "commitments": commitments, "today": today}
