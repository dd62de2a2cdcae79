"""Transfers: what one collective's offer total gives another's need total in a round.

Each side records its half when it applies the round, under the same id (the round's, and the
two totals'). The giver then offers it (``Offer`` of a Valueflows ``Agreement`` stipulating one
``Commitment``: provider, receiver, resource, quantity and the **public hand-over place**, as
FEP-0837 does); the taker accepts it (``Accept``), or rejects it when no public place is named
(``Reject``: it is declined on both sides). A transfer of an earlier round that nobody accepted
is released (``expired``) when a later round is applied: that round plans it again.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from . import wire
from .models import Peer, Round, Transfer, TransferState
from .services import FederationError

NO_PLACE = "no public hand-over place was named for it"


def transfer_uid(round_uid: str, transfer) -> str:
    return f"{round_uid}/transfers/{transfer.offer}/{transfer.need}"


def _public_place(target: Peer, transfer) -> str:
    """The giver's public place for a transfer: the first of its offers that names one."""
    from sinfronteras.sharing.models import Offer

    ids = [int(offer_id[1:]) for offer_id, _quantity in transfer.parts if offer_id.startswith("o")]
    places = dict(Offer.objects.filter(pk__in=ids, collective=target.collective)
                  .exclude(public_place="").values_list("pk", "public_place"))
    return next((places[pk] for pk in ids if pk in places), "")


def record_transfers(target: Peer, round_: Round, transfers) -> list[Transfer]:
    """Write the round's transfers to or from ``target`` (its half of each); the ones it gives."""
    from .rounds import label

    by_label = {label(p): p for p in target.federation.peers.all()}
    Transfer.objects.filter(state=TransferState.OFFERED, round__peer=target).exclude(round=round_).update(
        state=TransferState.EXPIRED, updated_at=timezone.now())
    given = []
    for transfer in transfers:
        giver, taker = by_label.get(transfer.giver), by_label.get(transfer.taker)
        if giver is None or taker is None:
            continue
        row, created = Transfer.objects.get_or_create(
            round=round_, uid=transfer_uid(round_.uid, transfer),
            defaults={"giver": giver, "taker": taker, "offer_key": transfer.offer, "need_key": transfer.need,
                      "resource": transfer.resource or "", "unit": transfer.unit[:40],
                      "quantity": Decimal(str(round(transfer.quantity, 3)))})
        if giver.pk == target.pk:
            place = _public_place(target, transfer)
            Transfer.objects.filter(pk=row.pk).update(place_name=place[:100])
            row.place_name = place[:100]
            given.append(row)
    return given


def agreement(row: Transfer) -> dict:
    """The transfer as FEP-0837 writes a deal: an ``Agreement`` stipulating one ``Commitment``."""
    unit_value = f"{row.quantity.normalize():f}"
    return {"type": "Agreement", "id": row.uid, "round": row.uid.split("/transfers/")[0],
            "stipulates": [{"type": "Commitment", "action": "transfer", "provider": row.giver.actor,
                            "receiver": row.taker.actor, "resourceConformsTo": row.resource,
                            "resourceQuantity": {"hasUnit": row.unit, "hasNumericalValue": unit_value},
                            "atLocation": {"type": "Place", "name": row.place_name}}]}


def offer_transfers(target: Peer, rows: list[Transfer]) -> None:
    """The giver offers each transfer to its taker; what the taker answers is recorded."""
    from .delivery import activity_id, deliver_many

    for taker_pk in {row.taker_id for row in rows}:
        mine = [row for row in rows if row.taker_id == taker_pk]
        taker = mine[0].taker
        docs = {row.pk: wire.activity("Offer", target.actor, [taker.actor], agreement(row),
                                      activity_id(target, "offer")) for row in mine}
        for row in mine:
            outcome = deliver_many(target, [taker], lambda t, row=row: docs[row.pk],
                                   timeout=settings.FEDERATION_DEADLINE_SECONDS)[0]
            answer = outcome.answer or {}
            state = {"Accept": TransferState.ACCEPTED, "Reject": TransferState.DECLINED}.get(answer.get("type"))
            if state is not None:
                Transfer.objects.filter(pk=row.pk, state=TransferState.OFFERED).update(
                    state=state, updated_at=timezone.now())


def answer_offer(target: Peer, sender: Peer, document: dict) -> dict:
    """The taker's side of an offered transfer: accepted with its public place, else rejected."""
    obj = document.get("object") or {}
    uid, round_uid = obj.get("id"), obj.get("round")
    terms = (obj.get("stipulates") or [{}])[0] if isinstance(obj.get("stipulates"), list) else {}
    round_ = Round.objects.filter(peer=target, uid=round_uid).first()
    if round_ is None or not isinstance(uid, str) or not uid.startswith(f"{round_uid}/transfers/"):
        raise FederationError("this transfer is of a round this collective did not take part in")
    if terms.get("provider") != sender.actor or terms.get("receiver") != target.actor:
        raise FederationError("a transfer is offered by its giver to its taker only")
    offer_key, _, need_key = uid.split("/transfers/", 1)[1].partition("/")
    try:
        quantity = Decimal(str((terms.get("resourceQuantity") or {}).get("hasNumericalValue")))
    except ArithmeticError as exc:
        raise FederationError("the transfer's quantity is not a number") from exc
    place = str((terms.get("atLocation") or {}).get("name") or "")[:100]
    state = TransferState.ACCEPTED if place else TransferState.DECLINED
    row, created = Transfer.objects.get_or_create(round=round_, uid=uid, defaults={
        "giver": sender, "taker": target, "offer_key": offer_key, "need_key": need_key,
        "resource": str(terms.get("resourceConformsTo") or "")[:300], "quantity": quantity,
        "unit": str((terms.get("resourceQuantity") or {}).get("hasUnit") or "")[:40],
        "place_name": place, "state": state})
    if not created:
        Transfer.objects.filter(pk=row.pk).update(place_name=place, state=state, updated_at=timezone.now())
    reply = {"id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}", "actor": target.actor,
             "to": [sender.actor], "object": uid}
    if not place:
        return {"type": "Reject", **reply, "reason": NO_PLACE}
    return {"type": "Accept", **reply}
