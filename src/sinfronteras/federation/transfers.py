"""Transfers: what one collective's offer total gives another's need total in a round.

Each side records its half when it applies the round, under the same id (the round's, and the
two totals'), with its own people's hand-overs (``handovers``). Then, as FEP-0837 makes a deal:

1. the giver offers it: ``Offer`` of a Valueflows ``Agreement`` stipulating one ``Commitment``
   (provider, receiver, resource, quantity, and the **public hand-over place** with its opening
   hours: a pantry's hours are public);
2. the taker finds a carrier who can reach the place in its opening hours and answers ``Accept``
   with the window (``startTime``, ``endTime``); or ``Reject`` and why (no public place, no
   carrier): declined on both sides. A taker that has not applied the round yet refuses; the
   giver offers again (at the end of the round, and in housekeeping);
3. when the taker's carrier has it, the taker sends its **confirmation**: ``Create`` of a signed
   ``EconomicEvent`` (action ``transfer``, fulfilling the commitment) that the giver records;
   the transfer reads received on both sides and the giver's task is done;
4. either side may decline (``Reject`` of the agreement); a window that passes with no
   confirmation expires on both sides (each side's housekeeping). Either way the need and the
   offer are given back and the next round plans them again.

Only the collectives' names, the public place, the window, the resource and the quantity cross.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.sharing.models import Offer

from . import handovers, keys, signing, wire
from .delivery import activity_id, deliver_many
from .models import Handover, HandoverState, Peer, Round, RoundState, Transfer, TransferState
from .peers import label, peer_keys
from .services import FederationError

NO_PLACE = "no public hand-over place was named for it"
NO_CARRIER = "no carrier of this collective can reach the public hand-over place in its opening hours"
NOT_YET = "this collective has not applied the round yet: offer it again"
DECLINED_THERE = "the other collective declined it"
#: The longest a window may be ahead (a window further is refused as a mistake).
LONGEST_AHEAD = timedelta(days=31)


def transfer_uid(round_uid: str, transfer) -> str:
    return f"{round_uid}/transfers/{transfer.offer}/{transfer.need}"


def _ids(parts, prefix: str) -> list[tuple[int, Decimal]]:
    return [(int(key[1:]), Decimal(str(round(quantity, 3)))) for key, quantity in parts
            if key.startswith(prefix) and key[1:].isdigit() and quantity > 0]


def _place_offer(target: Peer, transfer):
    """The giver's public place for a transfer: the first of its offers that names one."""
    ids = [pk for pk, _quantity in _ids(transfer.parts, "o")]
    offers = {o.pk: o for o in Offer.objects.filter(pk__in=ids, collective=target.collective)
              .exclude(public_place="").select_related("area").prefetch_related("slots")}
    return next((offers[pk] for pk in ids if pk in offers), None)


def record_transfers(target: Peer, round_: Round, transfers) -> list[Transfer]:
    """Write the round's transfers to or from ``target`` (its half of each, with its people's
    hand-overs); returns the ones it gives, to offer once the round is stored."""
    by_label = {label(p): p for p in target.federation.peers.all()}
    for old in Transfer.objects.filter(state=TransferState.OFFERED, round__peer=target).exclude(round=round_):
        handovers.release(old, TransferState.EXPIRED, "a later round planned it again")
    given = []
    for transfer in transfers:
        giver, taker = by_label.get(transfer.giver), by_label.get(transfer.taker)
        if giver is None or taker is None:
            continue
        row, _created = Transfer.objects.get_or_create(
            round=round_, uid=transfer_uid(round_.uid, transfer),
            defaults={"giver": giver, "taker": taker, "offer_key": transfer.offer, "need_key": transfer.need,
                      "resource": transfer.resource or "", "unit": transfer.unit[:40],
                      "quantity": Decimal(str(round(transfer.quantity, 3)))})
        if giver.pk == target.pk:
            _record_giving(row, transfer, target)
            given.append(row)
        else:
            Handover.objects.bulk_create([Handover(transfer=row, need_id=pk, quantity=q)
                                          for pk, q in _ids(transfer.parts, "n")])
    return given


def _record_giving(row: Transfer, transfer, target: Peer) -> None:
    offers = dict(Offer.objects.filter(pk__in=[pk for pk, _q in _ids(transfer.parts, "o")],
                                       collective=target.collective).values_list("pk", "posted_by_id"))
    Handover.objects.bulk_create([Handover(transfer=row, offer_id=pk, quantity=q, carrier_id=offers[pk])
                                  for pk, q in _ids(transfer.parts, "o") if pk in offers])
    place = _place_offer(target, transfer)
    if place is not None:
        row.place_name, row.place_lat, row.place_lon = place.public_place[:100], place.area.lat, place.area.lon
        row.opening_hours = handovers.opening_hours(place)
        row.save(update_fields=["place_name", "place_lat", "place_lon", "opening_hours"])


def agreement(row: Transfer) -> dict:
    """The transfer as FEP-0837 writes a deal: an ``Agreement`` stipulating one ``Commitment``."""
    unit_value = f"{row.quantity.normalize():f}"
    place = {"type": "Place", "name": row.place_name}
    if row.place_name and row.place_lat is not None:
        place |= {"latitude": round(row.place_lat, 4), "longitude": round(row.place_lon, 4),
                  "openingHoursSpecification": [{"dayOfWeek": d, "opens": a, "closes": b}
                                                for d, a, b in row.opening_hours]}
    return {"type": "Agreement", "id": row.uid, "round": row.uid.split("/transfers/")[0],
            "stipulates": [{"type": "Commitment", "action": "transfer", "provider": row.giver.actor,
                            "receiver": row.taker.actor, "resourceConformsTo": row.resource,
                            "resourceQuantity": {"hasUnit": row.unit, "hasNumericalValue": unit_value},
                            "atLocation": place}]}


def offer_transfers(target: Peer, rows: list[Transfer]) -> None:
    """The giver offers each transfer to its taker; what the taker answers is recorded."""
    for row in rows:
        row.refresh_from_db()
        if row.state != TransferState.OFFERED:
            continue
        doc = wire.activity("Offer", target.actor, [row.taker.actor], agreement(row), activity_id(target, "offer"))
        outcome = deliver_many(target, [row.taker], lambda _t, doc=doc: doc,
                               timeout=settings.FEDERATION_DEADLINE_SECONDS)[0]
        answer = outcome.answer or {}
        if answer.get("type") == "Accept" and (window := _window(answer)):
            handovers.set_window(row, *window)
        elif answer.get("type") in ("Accept", "Reject"):
            handovers.release(row, TransferState.DECLINED, str(answer.get("reason") or DECLINED_THERE))


def offer_open(peer: Peer) -> int:
    """Offer again what ``peer`` gives and no taker answered yet (its round was not applied
    there, or it did not answer); how many were offered."""
    rows = list(Transfer.objects.filter(round__peer=peer, giver=peer, state=TransferState.OFFERED)
                .select_related("giver", "taker"))
    if rows:
        offer_transfers(peer, rows)
    return len(rows)


def _window(answer: dict) -> tuple | None:
    try:
        start = datetime.fromisoformat(str(answer.get("startTime")))
        end = datetime.fromisoformat(str(answer.get("endTime")))
    except ValueError:
        return None
    now = timezone.now()
    if start.tzinfo is None or end.tzinfo is None or not start < end or end > now + LONGEST_AHEAD:
        return None
    return start, end


def _hours(place: dict) -> list[list]:
    rows = place.get("openingHoursSpecification")
    rows = rows if isinstance(rows, list) else []
    return handovers.opening_rows([[r.get("dayOfWeek"), r.get("opens"), r.get("closes")]
                                   for r in rows[:21] if isinstance(r, dict)])


def _coordinate(value, bound: float) -> float | None:
    return float(value) if isinstance(value, (int, float)) and -bound <= value <= bound else None


def answer_offer(target: Peer, sender: Peer, document: dict) -> dict:
    """The taker's side of an offered transfer: accepted with a window its carrier can, else rejected."""
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
    except (ArithmeticError, InvalidOperation) as exc:
        raise FederationError("the transfer's quantity is not a number") from exc
    place = terms.get("atLocation") if isinstance(terms.get("atLocation"), dict) else {}
    name = str(place.get("name") or "")[:100]
    row, _created = Transfer.objects.get_or_create(round=round_, uid=uid, defaults={
        "giver": sender, "taker": target, "offer_key": offer_key, "need_key": need_key,
        "resource": str(terms.get("resourceConformsTo") or "")[:300], "quantity": quantity,
        "unit": str((terms.get("resourceQuantity") or {}).get("hasUnit") or "")[:40]})
    reply = {"id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}", "actor": target.actor,
             "to": [sender.actor], "object": uid}
    if row.state == TransferState.ACCEPTED and row.window_start:  # offered again: the same answer
        return {"type": "Accept", **reply, **_times(row)}
    if row.state != TransferState.OFFERED:
        return {"type": "Reject", **reply, "reason": row.reason or row.state}
    row.place_name, row.opening_hours = name, _hours(place)
    row.place_lat, row.place_lon = _coordinate(place.get("latitude"), 90), _coordinate(place.get("longitude"), 180)
    row.save(update_fields=["place_name", "opening_hours", "place_lat", "place_lon"])
    if not name:
        handovers.release(row, TransferState.DECLINED, NO_PLACE)
        return {"type": "Reject", **reply, "reason": NO_PLACE}
    if round_.state != RoundState.APPLIED:
        raise FederationError(NOT_YET)
    window = handovers.plan_pickup(row)
    if window is None:
        handovers.release(row, TransferState.DECLINED, NO_CARRIER)
        return {"type": "Reject", **reply, "reason": NO_CARRIER}
    handovers.set_window(row, *window)
    row.refresh_from_db()
    return {"type": "Accept", **reply, **_times(row)}


def _times(row: Transfer) -> dict:
    return {"startTime": row.window_start.isoformat(), "endTime": row.window_end.isoformat()}


# --- received, declined, expired ------------------------------------------------------------

def _send(me: Peer, other: Peer, doc: dict) -> None:
    transaction.on_commit(lambda: deliver_many(me, [other], lambda _t: doc,
                                               timeout=settings.FEDERATION_DEADLINE_SECONDS))


def confirmation(me: Peer, row: Transfer) -> dict:
    """The taker's signed record that it received the transfer (FEP-0837's confirmation)."""
    event = {"type": "EconomicEvent", "id": f"{row.uid}/received", "action": "transfer", "fulfills": row.uid,
             "provider": row.giver.actor, "receiver": me.actor, "resourceConformsTo": row.resource,
             "resourceQuantity": {"hasUnit": row.unit, "hasNumericalValue": f"{row.quantity.normalize():f}"},
             "attributedTo": me.actor}  # no time: when the carrier had it is nobody else's business
    pair = keys.signing_key(me.slug)
    return wire.sign_object(event, signing.key_id(me.actor, pair), pair)


@transaction.atomic
def do_received(member, handover) -> None:
    """The taker's carrier marks it received at the public place: the family is told, and the
    giver gets the signed confirmation."""
    handovers.mark_received(handover)
    row = Transfer.objects.select_related("giver", "taker", "round__peer").get(pk=handover.transfer_id)
    me = row.round.peer
    signed = confirmation(me, row)
    Transfer.objects.filter(pk=row.pk).update(confirmation=signed)
    _send(me, row.giver, wire.activity("Create", me.actor, [row.giver.actor], signed, activity_id(me, "received")))


def record_confirmation(target: Peer, sender: Peer, document: dict) -> dict:
    """The giver's side of a confirmation: checked against the taker's key, then recorded."""
    obj = document.get("object") or {}
    row = Transfer.objects.filter(round__peer=target, uid=obj.get("fulfills"), giver=target).first()
    if row is None or row.taker_id != sender.pk or obj.get("receiver") != sender.actor:
        raise FederationError("this confirmation is of no transfer this collective gave to its sender")
    public = dict(peer_keys(sender)).get(_signer(obj))
    try:
        if public is None:
            raise wire.WireError("its proof names a key the sender never published")
        wire.check_object(obj, public)
    except wire.WireError as exc:
        raise FederationError(f"the confirmation is refused: {exc}") from exc
    if row.state in (TransferState.OFFERED, TransferState.ACCEPTED, TransferState.EXPIRED):
        handovers.received_here(row)
        Transfer.objects.filter(pk=row.pk).update(confirmation=obj)
    return {"type": "Accept", "actor": target.actor, "to": [sender.actor], "object": document.get("id"),
            "id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}"}


def _signer(obj: dict) -> str:
    try:
        return wire.object_signer(obj)
    except wire.WireError:
        return ""


@transaction.atomic
def do_decline(member, handover) -> None:
    """One of the people of a hand-over cannot: the transfer is released on both sides."""
    if handover.state != HandoverState.PROPOSED or not handover.transfer.live:
        raise handovers.HandoverRefused(_("This hand-over cannot be declined now."))
    row = Transfer.objects.select_related("giver", "taker", "round__peer").get(pk=handover.transfer_id)
    me = row.round.peer
    other = row.taker if row.giver_id == me.pk else row.giver
    handovers.release(row, TransferState.DECLINED, DECLINED_THERE)
    agreement_ref = {"type": "Agreement", "id": row.uid}
    _send(me, other, wire.activity("Reject", me.actor, [other.actor], agreement_ref, activity_id(me, "decline"),
                                   reason="one of its people cannot"))


def answer_decline(target: Peer, sender: Peer, document: dict) -> dict:
    """The other side declined a transfer: released here too."""
    uid = (document.get("object") or {}).get("id")
    row = Transfer.objects.filter(round__peer=target, uid=uid).first()
    if row is None or sender.pk not in (row.giver_id, row.taker_id):
        raise FederationError("this is no transfer between this collective and its sender")
    if row.live:
        handovers.release(row, TransferState.DECLINED, DECLINED_THERE)
    return {"type": "Accept", "actor": target.actor, "to": [sender.actor], "object": document.get("id"),
            "id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}"}


def release_expired(now=None) -> int:
    """Housekeeping: a window passed with no confirmation releases the transfer (each side does
    it itself: both know the window); what no taker answered yet is offered again."""
    now = now or timezone.now()
    late = list(Transfer.objects.filter(state=TransferState.ACCEPTED, window_end__lt=now))
    for row in late:
        handovers.release(row, TransferState.EXPIRED, "its window passed with no confirmation")
    # Ended elsewhere (a suspension, leaving): their hand-overs give back what they held.
    Handover.objects.filter(transfer__state__in=[TransferState.DECLINED, TransferState.EXPIRED]).exclude(
        state__in=[HandoverState.DONE, HandoverState.RELEASED]).update(state=HandoverState.RELEASED)
    for peer in Peer.objects.filter(collective__isnull=False, transfers_given__state=TransferState.OFFERED).distinct():
        offer_open(peer)
    return len(late)

