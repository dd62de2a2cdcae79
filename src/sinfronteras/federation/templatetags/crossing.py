"""What a transfer across collectives asks of this collective's people (*My tasks*), and what
could not cross (the plan page)."""

from __future__ import annotations

from django import template

from sinfronteras.federation import handovers
from sinfronteras.federation.models import Transfer, TransferState
from sinfronteras.federation.page import Resources
from sinfronteras.federation.transfers import NO_CARRIER, NO_PLACE

register = template.Library()

#: Transfers not planned, shown on the plan page (the last ones).
NOT_PLANNED_SHOWN = 20


@register.simple_tag
def crossing_tasks(member) -> list[dict]:
    """The member's hand-overs of transfers, each described for them."""
    if not getattr(member, "is_authenticated", False):
        return []
    return [handovers.describe(h) for h in handovers.tasks_of(member)]


@register.inclusion_tag("federation/not_planned.html")
def transfers_not_planned(member) -> dict:
    """Transfers of this collective that found no public place both sides can reach."""
    rows = (Transfer.objects.filter(round__peer__collective_id=member.collective_id, state=TransferState.DECLINED,
                                    reason__in=[NO_PLACE, NO_CARRIER])
            .select_related("giver", "taker", "round__peer").order_by("-created_at")[:NOT_PLANNED_SHOWN])
    resources = Resources(member.collective)
    return {"rows": [{"transfer": t, "out": t.giver_id == t.round.peer_id, "name": resources.name(t.resource),
                      "resource": resources.unit(t.resource),
                      "other": (t.taker if t.giver_id == t.round.peer_id else t.giver),
                      "no_place": t.reason == NO_PLACE} for t in rows]}
