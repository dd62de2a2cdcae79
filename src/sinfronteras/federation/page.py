"""What the federation page shows a member: its collectives, its last rounds, what crossed.

Read only, from what this server holds: the members of the federation (their servers and
when each last answered), this collective's rounds, and its transfers (each a total of one
collective's offers to a total of another's needs: never a person). What crossed is added up
by resource and tier, both ways; each other collective's part of it shows who gives and who
only takes. Coordinators also see the transfers still in progress.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from sinfronteras.planning.federation import owner
from sinfronteras.plans.report import TIER_NAMES
from sinfronteras.sharing.models import Resource

from .handovers import when_text
from .models import Peer, PeerState, Round, RoundState, Transfer, TransferState
from .peers import label
from .services import FederationError, local_peer

#: Transfers that count as crossing: planned and not released, accepted, or handed over.
CROSSING = (TransferState.OFFERED, TransferState.ACCEPTED, TransferState.RECEIVED)
IN_PROGRESS = (TransferState.OFFERED, TransferState.ACCEPTED)
LAST_ROUNDS = 5

#: The states of a round, a member in a round and a transfer, in the page's words (with a
#: context: "planned" or "accepted" read otherwise on the plans' pages).
ROUND_WORDS = {
    "collecting": pgettext_lazy("federation round", "collecting digests"),
    "planned": pgettext_lazy("federation round", "planned"),
    "applied": pgettext_lazy("federation round", "applied"),
    "refused": pgettext_lazy("federation round", "refused"),
    "left_out": pgettext_lazy("federation round", "left out"),
}
MEMBER_WORDS = {
    "asked": pgettext_lazy("federation round member", "asked"),
    "planned": pgettext_lazy("federation round member", "planned"),
    "left_out": pgettext_lazy("federation round member", "left out"),
    "refused": pgettext_lazy("federation round member", "refused"),
}
TRANSFER_WORDS = {
    "offered": pgettext_lazy("federation transfer", "offered"),
    "accepted": pgettext_lazy("federation transfer", "accepted"),
    "declined": pgettext_lazy("federation transfer", "declined"),
    "expired": pgettext_lazy("federation transfer", "expired"),
    "received": pgettext_lazy("federation transfer", "received"),
}


def host(server: str) -> str:
    """A server's host name, as people read it (``https://tj.example.org`` -> ``tj.example.org``)."""
    return urlsplit(server).netloc or server


class Resources:
    """A shared vocabulary URI read as the collective's own resource, in the reader's language."""

    def __init__(self, collective) -> None:
        fields = {f.name for f in Resource._meta.get_fields()}
        rows = Resource.objects.filter(collective=collective).exclude(uri="") if "uri" in fields else []
        self.by_uri = {r.uri: r for r in rows}

    def name(self, uri: str) -> str:
        r = self.by_uri.get(uri)
        return r.name if r else (uri.rstrip("/").rsplit("/", 1)[-1] or uri)

    def unit(self, uri: str):
        """The resource (for ``amount``), or None."""
        return self.by_uri.get(uri)


def _tiers(rounds) -> dict[int, dict[str, int]]:
    """Per round: the tier of every need total of its union plan."""
    out = {}
    for r in rounds:
        rows = (r.union_plan or {}).get("needs", []) if isinstance(r.union_plan, dict) else []
        out[r.pk] = {row.get("id"): row.get("tier") for row in rows if isinstance(row, dict)}
    return out


def crossed(me: Peer, resources: Resources) -> list[dict]:
    """What crossed, both ways, by resource and tier: ``direction`` ("in"/"out"), name, tier, total."""
    transfers = list(Transfer.objects.filter(round__peer=me, state__in=CROSSING).select_related("round"))
    tiers = _tiers({t.round for t in transfers})
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    units = {t.resource: getattr(t, "unit", "") for t in transfers}
    for t in transfers:
        direction = "out" if t.giver_id == me.pk else "in"
        tier = tiers.get(t.round_id, {}).get(t.need_key) or 0
        totals[(direction, t.resource, tier)] += t.quantity
    rows = []
    for (direction, uri, tier), quantity in sorted(totals.items(), key=lambda kv: (kv[0][0], kv[0][2], kv[0][1])):
        rows.append({"direction": direction, "name": resources.name(uri), "resource": resources.unit(uri),
                     "unit": units.get(uri, ""),
                     "tier": tier, "tier_name": TIER_NAMES.get(tier, ""), "quantity": quantity})
    return rows


def shares(me: Peer, peers: list[Peer]) -> list[dict]:
    """Each other collective's part of what came in and of what went out, resource by resource.

    A part is the mean, over the resources that crossed that way, of the collective's share of
    each (so kilograms and packs are never added together): 1.0 gave everything that came in.
    """
    given: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    taken: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for t in Transfer.objects.filter(round__peer=me, state__in=CROSSING):
        if t.taker_id == me.pk and t.giver_id != me.pk:
            given[t.resource][t.giver_id] += t.quantity
        elif t.giver_id == me.pk and t.taker_id != me.pk:
            taken[t.resource][t.taker_id] += t.quantity

    def part(book, pk):
        if not book:
            return None
        fractions = [by_peer.get(pk, Decimal(0)) / sum(by_peer.values()) for by_peer in book.values()]
        return float(sum(fractions) / len(fractions))

    counts = federation_counts(me, peers)
    return [{"peer": p, "gave": part(given, p.pk), "took": part(taken, p.pk),
             "gave_times": counts[p.pk][0], "took_times": counts[p.pk][1]} for p in peers if p.pk != me.pk]


#: Applied rounds whose union plans count toward "across the federation".
COUNTED_ROUNDS = 10


def federation_counts(me: Peer, peers: list[Peer]) -> dict[int, list[int]]:
    """Per member: how many times, in the last applied rounds' union plans, one of its offer
    totals gave to another collective and one of its need totals took from another. Across the
    whole federation (not only with this collective), so a member that only takes shows."""
    by_label = {label(p): p.pk for p in peers}
    counts = {p.pk: [0, 0] for p in peers}
    for r in Round.objects.filter(peer=me, state=RoundState.APPLIED).exclude(union_plan=None)[:COUNTED_ROUNDS]:
        for row in (r.union_plan or {}).get("allocations", []):
            giver, taker = by_label.get(owner(str(row.get("offer", "")))), by_label.get(owner(str(row.get("need", ""))))
            if giver is not None and taker is not None and giver != taker:
                counts[giver][0] += 1
                counts[taker][1] += 1
    return counts


#: Transfers received lately, shown with the ones in progress (coordinators).
RECEIVED_SHOWN = timedelta(days=14)


def in_progress(me: Peer, resources: Resources) -> list[dict]:
    """Transfers to or from this collective not yet handed over, and the ones received lately
    (coordinators): where, when, and in which state."""
    rows = []
    recent = Q(state=TransferState.RECEIVED, updated_at__gte=timezone.now() - RECEIVED_SHOWN)
    transfers = list(Transfer.objects.filter(round__peer=me).filter(Q(state__in=IN_PROGRESS) | recent)
                     .select_related("giver", "taker", "round").order_by("created_at", "pk"))
    tiers = _tiers({t.round for t in transfers})
    for t in transfers:
        out = t.giver_id == me.pk
        rows.append({"transfer": t, "out": out, "other": t.taker if out else t.giver, "unit": getattr(t, "unit", ""),
                     "name": resources.name(t.resource), "resource": resources.unit(t.resource),
                     "tier": tiers.get(t.round_id, {}).get(t.need_key) or 0,
                     "state": TRANSFER_WORDS.get(t.state, t.state), "when": when_text(t) if t.window_start else ""})
    return rows


def rounds(me: Peer) -> list[dict]:
    """This collective's last rounds: when, started here or not, state and why, and its members."""
    out = []
    for r in Round.objects.filter(peer=me).prefetch_related("members__peer")[:LAST_ROUNDS]:
        members = [{"name": m.peer.name or m.peer.slug, "state": m.state, "label": MEMBER_WORDS.get(m.state, m.state),
                    "reason": m.reason} for m in r.members.all()]
        out.append({"round": r, "applied": r.state == RoundState.APPLIED, "state": ROUND_WORDS.get(r.state, r.state),
                    "left_out": [m for m in members if m["state"] != "planned"], "members": members})
    return out


def page_context(member) -> dict:
    """Everything the federation page shows ``member`` (``federated`` False: in none)."""
    collective = member.collective
    try:
        me = local_peer(collective)
    except FederationError:
        return {"federated": False}
    peers = list(me.federation.peers.exclude(state=PeerState.LEFT).order_by("pk"))
    resources = Resources(collective)
    context = {
        "federated": True, "me": me, "federation": me.federation,
        "peers": [{"peer": p, "host": host(p.server), "you": p.pk == me.pk} for p in peers],
        "rounds": rounds(me), "crossed": crossed(me, resources), "shares": shares(me, peers),
    }
    if member.is_coordinator:
        context["in_progress"] = in_progress(me, resources)
    return context
