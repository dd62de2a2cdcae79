"""Transfers: what one collective's offer total gives another's need total in a round.

Each side records its half when it applies the round. A transfer of a round that a later round
replaces, and that nobody accepted, is released (``expired``): the later round plans it again.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from .models import Peer, Round, Transfer, TransferState


def record_transfers(target: Peer, round_: Round, transfers) -> int:
    """Write the round's transfers to or from ``target`` (its half of each)."""
    from .rounds import label

    by_label = {label(p): p for p in target.federation.peers.all()}
    Transfer.objects.filter(state=TransferState.OFFERED, round__peer=target).exclude(round=round_).update(
        state=TransferState.EXPIRED, updated_at=timezone.now())
    made = 0
    for k, transfer in enumerate(transfers):
        giver, taker = by_label.get(transfer.giver), by_label.get(transfer.taker)
        if giver is None or taker is None:
            continue
        Transfer.objects.update_or_create(round=round_, uid=f"{round_.uid}/transfers/{k}", defaults={
            "giver": giver, "taker": taker, "offer_key": transfer.offer, "need_key": transfer.need,
            "resource": transfer.resource or "", "quantity": Decimal(str(round(transfer.quantity, 3))),
            "state": TransferState.OFFERED})
        made += 1
    return made
