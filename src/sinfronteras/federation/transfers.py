"""Transfers: what one collective's offer total gives another's need total in a round.

Each side records its half when it applies the round, under the same id (the round's, and the
two totals'), with its own people's hand-overs (``handovers``). Then, as FEP-0837 makes a deal:

1. the giver offers it: ``Offer`` of a Valueflows ``Agreement`` stipulating one ``Commitment``
   (provider, receiver, resource, quantity, and the **public hand-over place** with its opening
   hours: a pantry's hours are public). A round's transfers from one giver to one taker go in
   one ``Offer`` (its object a list of agreements; the answer a ``Collection`` of one answer
   each), once the round's starter has announced that every member applied it;
2. the taker finds a carrier who can reach the place in its opening hours and answers ``Accept``
   with the window (``startTime``, ``endTime``); or ``Reject`` and why (no public place, no
   carrier): declined on both sides. A taker that has not applied the round yet refuses; the
   giver offers again (at the end of the round, and in housekeeping);
3. when the taker's carrier has it, the taker sends its **confirmation**: ``Create`` of a signed
   ``EconomicEvent`` (action ``transfer``, fulfilling the commitment) that the giver records;
   the transfer reads received on both sides and the giver's task is done. A confirmation the
   giver did not take (lost, or the giver was down) is sent again, the same, by housekeeping
   and the next round, until it is taken; the giver records it once;
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
from .models import Handover, HandoverState, Peer, PeerState, Round, RoundState, Transfer, TransferState
from .peers import label, peer_keys
from .services import FederationError

NO_PLACE = "no public hand-over place was named for it"
NO_CARRIER = "no carrier of this collective can reach the public hand-over place in its opening hours"
NOT_YET = "this collective has not applied the round yet: offer it again"
DECLINED_THERE = "the other collective declined it"
#: The most agreements one ``Offer`` carries (a round's transfers from one giver to one taker).
MOST_OFFERED = 2000
#: The longest a window may be ahead (a window further is refused as a mistake).
LONGEST_AHEAD = timedelta(days=31)


def transfer_uid(round_uid: str, transfer) -> str:
    return f"{round_uid}/transfers/{transfer.offer}/{transfer.need}"


def _ids(parts, prefix: str) -> list[tuple[int, Decimal]]:
    return [(int(key[1:]), Decimal(str(round(quantity, 3)))) for key, quantity in parts
            if key.startswith(prefix) and key[1:].isdigit() and quantity > 0]


def record_transfers(target: Peer, round_: Round, transfers) -> list[Transfer]:
    """Write the round's transfers to or from ``target`` (its half of each, with its people's
    hand-overs), in a few statements; returns the ones it gives, offered once every member has
    applied the round (``offer_transfers``)."""
    by_label = {label(p): p for p in target.federation.peers.all()}
    for old in Transfer.objects.filter(state=TransferState.OFFERED, round__peer=target).exclude(round=round_):
        handovers.release(old, TransferState.EXPIRED, "a later round planned it again")
    ours = [(t, by_label[t.giver], by_label[t.taker]) for t in transfers
            if t.giver in by_label and t.taker in by_label]
    offer_ids = {pk for t, giver, _taker in ours if giver.pk == target.pk for pk, _q in _ids(t.parts, "o")}
    offers = {o.pk: o for o in Offer.objects.filter(pk__in=offer_ids, collective=target.collective)
              .select_related("area").prefetch_related("slots")}
    rows = []
    for transfer, giver, taker in ours:
        row = Transfer(round=round_, uid=transfer_uid(round_.uid, transfer), giver=giver, taker=taker,
                       offer_key=transfer.offer, need_key=transfer.need, resource=transfer.resource or "",
                       unit=transfer.unit[:40], quantity=Decimal(str(round(transfer.quantity, 3))))
        if giver.pk == target.pk and (place := _place_offer(offers, transfer)) is not None:
            row.place_name, row.place_lat, row.place_lon = place.public_place[:100], place.area.lat, place.area.lon
            row.opening_hours = handovers.opening_hours(place)
        rows.append(row)
    Transfer.objects.bulk_create(rows, ignore_conflicts=True)  # a row offered before it was applied stays
    stored = {row.uid: row for row in Transfer.objects.filter(round=round_).select_related("giver", "taker")}
    parts, given = [], []
    for transfer, giver, _taker in ours:
        row = stored[transfer_uid(round_.uid, transfer)]
        if giver.pk == target.pk:
            parts += [Handover(transfer=row, offer_id=pk, quantity=q, carrier_id=offers[pk].posted_by_id)
                      for pk, q in _ids(transfer.parts, "o") if pk in offers]
            given.append(row)
        else:
            parts += [Handover(transfer=row, need_id=pk, quantity=q) for pk, q in _ids(transfer.parts, "n")]
    Handover.objects.bulk_create(parts)
    return given


def _place_offer(offers: dict, transfer):
    """The giver's public place for a transfer: the first of its offers that names one."""
    return next((offers[pk] for pk, _q in _ids(transfer.parts, "o")
                 if pk in offers and offers[pk].public_place), None)


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


def offer_transfers(target: Peer, rows: list[Transfer]) -> int:
    """The giver offers its transfers: one signed ``Offer`` to each taker, of all it gives that
    taker (a list of agreements), every taker at once; what each answers is recorded. Returns
    how many were answered."""
    live = {row.pk: row for row in Transfer.objects.filter(pk__in=[r.pk for r in rows], state=TransferState.OFFERED)
            .select_related("giver", "taker")}
    by_taker: dict[int, list[Transfer]] = {}
    for row in live.values():
        by_taker.setdefault(row.taker_id, []).append(row)
    if not by_taker:
        return 0
    takers = [rows_[0].taker for rows_ in by_taker.values()]
    outcomes = deliver_many(target, takers, lambda taker: wire.activity(
        "Offer", target.actor, [taker.actor], [agreement(row) for row in by_taker[taker.pk]],
        activity_id(target, "offer")), timeout=settings.FEDERATION_DEADLINE_SECONDS)
    answered = 0
    for outcome in outcomes:
        answers = (outcome.answer or {}).get("items")
        if isinstance(answers, list):  # else refused whole (not applied there yet) or no answer: offered again
            answered += _record_answers({row.uid: row for row in by_taker[outcome.peer.pk]}, answers)
    return answered


@transaction.atomic
def _record_answers(rows: dict, answers: list) -> int:
    """A taker's answers to the transfers offered it, recorded together: accepted ones get
    their window, the others are released (each reason with one statement)."""
    declined: dict[str, list[Transfer]] = {}
    answered = 0
    for answer in answers:
        row = rows.pop(answer.get("object"), None) if isinstance(answer, dict) else None
        if row is None:
            continue
        if answer.get("type") == "Accept" and (window := _window(answer)):
            handovers.set_window(row, *window)
        elif answer.get("type") in ("Accept", "Reject"):
            declined.setdefault(str(answer.get("reason") or DECLINED_THERE), []).append(row)
        else:
            continue
        answered += 1
    for reason, released in declined.items():
        handovers.release_all(released, TransferState.DECLINED, reason)
    return answered


def offer_open(peer: Peer, takers: list[Peer] | None = None) -> int:
    """Offer again what ``peer`` gives and no taker answered yet (its round was not applied
    there, or it did not answer), to ``takers`` only if given; how many were answered."""
    rows = Transfer.objects.filter(round__peer=peer, giver=peer, state=TransferState.OFFERED)
    if takers is not None:
        rows = rows.filter(taker__in=takers)
    rows = list(rows)
    return offer_transfers(peer, rows) if rows else 0


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


@transaction.atomic
def answer_offers(target: Peer, sender: Peer, document: dict) -> dict:
    """The taker's side of an ``Offer`` of a round's transfers (one agreement or a list): each
    accepted with a window its carrier can, else rejected; a ``Collection`` of the answers. A
    round this collective has not applied yet refuses the whole offer (nothing stored)."""
    obj = document.get("object")
    deals = obj if isinstance(obj, list) else [obj]
    if not deals or len(deals) > MOST_OFFERED or not all(isinstance(d, dict) for d in deals):
        raise FederationError(f"an offer carries 1 to {MOST_OFFERED} agreements")
    rounds_ = {d.get("round") for d in deals}
    round_ = Round.objects.filter(peer=target, uid=next(iter(rounds_))).first() if len(rounds_) == 1 else None
    if round_ is None:
        raise FederationError("this transfer is of a round this collective did not take part in")
    if round_.state != RoundState.APPLIED:
        raise FederationError(NOT_YET)
    carriers = handovers.Carriers(target.collective)  # read once, drawn down transfer by transfer
    items = [answer_offer(target, sender, round_, deal, carriers) for deal in deals]
    return {"type": "Collection", "id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}",
            "actor": target.actor, "to": [sender.actor], "object": document.get("id"), "items": items}


def answer_offer(target: Peer, sender: Peer, round_: Round, obj: dict, carriers=None) -> dict:
    """One offered transfer, on the taker's side: accepted with a window its carrier can, else
    rejected."""
    uid = obj.get("id")
    terms = (obj.get("stipulates") or [{}])[0] if isinstance(obj.get("stipulates"), list) else {}
    if obj.get("type") != "Agreement" or not isinstance(uid, str) or not uid.startswith(f"{round_.uid}/transfers/"):
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
    reply = {"actor": target.actor, "object": uid}
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
    window = handovers.plan_pickup(row, carriers=carriers)
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
    giver gets the signed confirmation (sent again until the giver has taken it)."""
    handovers.mark_received(handover)
    row = Transfer.objects.select_related("giver", "taker", "round__peer").get(pk=handover.transfer_id)
    me = row.round.peer
    row.confirmation = confirmation(me, row)
    Transfer.objects.filter(pk=row.pk).update(confirmation=row.confirmation)
    transaction.on_commit(lambda: send_confirmation(me, row))


def send_confirmation(me: Peer, row: Transfer) -> bool:
    """Send the giver the taker's signed confirmation (the same, each time); True once the giver
    has taken it (then it is never sent again)."""
    doc = wire.activity("Create", me.actor, [row.giver.actor], row.confirmation, activity_id(me, "received"))
    outcome = deliver_many(me, [row.giver], lambda _t: doc, timeout=settings.FEDERATION_DEADLINE_SECONDS)[0]
    if (outcome.answer or {}).get("type") != "Accept":
        return False  # lost, or the giver is down: sent again by housekeeping and the next round
    Transfer.objects.filter(pk=row.pk).update(confirmation_taken_at=timezone.now())
    return True


def resend_confirmations(me: Peer, givers: list[Peer] | None = None) -> int:
    """Send again each confirmation of what ``me`` received that its giver has not taken yet (to
    ``givers`` only, if given); how many the givers took now."""
    rows = (Transfer.objects.filter(round__peer=me, taker=me, state=TransferState.RECEIVED,
                                    confirmation__isnull=False, confirmation_taken_at__isnull=True)
            .select_related("giver"))
    if givers is not None:
        rows = rows.filter(giver__in=givers)
    return sum(send_confirmation(me, row) for row in rows)


def resend_all_confirmations(now=None) -> int:
    """Housekeeping: every local collective sends again the confirmations its givers have not taken."""
    return sum(resend_confirmations(peer) for peer in Peer.objects.filter(
        collective__isnull=False, state=PeerState.ACTIVE, transfers_taken__state=TransferState.RECEIVED,
        transfers_taken__confirmation_taken_at__isnull=True).distinct())


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

