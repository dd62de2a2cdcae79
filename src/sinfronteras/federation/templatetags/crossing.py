"""What a transfer across collectives asks of this collective's people (*My tasks*), and what
could not cross (the plan page)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from sinfronteras.federation import handovers
from sinfronteras.federation.models import Transfer, TransferState
from sinfronteras.federation.page import Resources
from sinfronteras.federation.transfers import NO_CARRIER, NO_PLACE

register = template.Library()

#: Transfers not planned, shown on the plan page (the last ones).
NOT_PLANNED_SHOWN = 20


@register.simple_tag
def crossing_tasks(member) -> list[dict]:
    """The member's hand-overs of transfers, one card per public place, window and other
    collective (a driver who picks up 13 transfers at one place reads one card)."""
    if not getattr(member, "is_authenticated", False):
        return []
    return group_handovers([handovers.describe(h) for h in handovers.tasks_of(member)])


def group_handovers(rows: list[dict]) -> list[dict]:
    """Rows of ``handovers.describe`` gathered by (side, other collective, place, window), in
    the order their first row comes; each group with its items and the hand-overs each of its
    actions applies to."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        handover = row["handover"]
        transfer = handover.transfer
        other = transfer.taker_id if handover.gives else transfer.giver_id
        key = (handover.gives, other, transfer.place_name, transfer.window_start, transfer.window_end)
        groups.setdefault(key, []).append(row)
    return [_group(members) for members in groups.values()]


def _group(rows: list[dict]) -> dict:
    first = rows[0]["handover"]
    states = {row["state"] for row in rows}
    group = {"rows": rows, "first": first, "many": len(rows) > 1,
             "state": next(iter(states)) if len(states) == 1 else "",
             "hand": [r["handover"].pk for r in rows if r["can_hand"]],
             "receive": [r["handover"].pk for r in rows if r["can_receive"]],
             "decline": [r["handover"].pk for r in rows if r["can_decline"]]}
    if not group["many"]:
        return group | {"sentence": rows[0]["sentence"], "onward": rows[0]["onward"]}
    totals: dict[str, list] = {}
    for row in rows:
        handover, resource, name = row["handover"], row["resource"], row["name"]
        row["item"] = _item(handover, row["amount"], name)
        totals.setdefault(name, [resource, 0])[1] += handover.quantity
    onward = "" if first.gives else _("Then bring each to its person in need, as for any delivery.")
    total = "; ".join(_("%(what)s of %(resource)s") % {"what": handovers.amount_text(quantity, resource),
                                                       "resource": name}
                      for name, (resource, quantity) in totals.items())
    return group | {"sentence": _heading(first), "onward": onward,
                    "total": _("In all: %(total)s, in %(count)s parts.") % {"total": total, "count": len(rows)}}


def _heading(handover) -> str:
    row = handover.transfer
    words = {"place": row.place_name, "when": handovers.when_text(row)}
    if handover.gives:
        words["other"] = row.taker.name or row.taker.slug
        return _("Hand over to the carrier of %(other)s at %(place)s, %(when)s:") % words
    words["other"] = row.giver.name or row.giver.slug
    return _("Pick up from the carrier of %(other)s at %(place)s, %(when)s:") % words


def _item(handover, what: str, resource: str) -> str:
    words = {"what": what, "resource": resource}
    if handover.gives:
        return _("%(what)s of %(resource)s") % words
    return _("%(what)s of %(resource)s, to %(area)s") % (words | {"area": handover.need.area.name})


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
