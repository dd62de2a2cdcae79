"""A transfer's hand-over, as tasks of each collective's own people.

On the giver's side, the giver of each offer that gives to the transfer hands it over at the
public place (a pantry, a community centre: the offer's own public place, with its opening
hours). On the taker's side, one carrier picks it up there and brings it on to the people in
need, as a local carry does. The window is found on the taker's side: within the place's
opening hours (public), at a time its carrier said it can, with the carriers' machinery of a
local plan (``plans.carriers``). Only the window, the place, the resource and the quantity
cross; neither side learns who the other's people are.

What a live hand-over holds of a need, an offer or a carrier's hours is held from the plans
(``hold``): a released one gives it back, and the next round plans it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.notify.hooks import task_accepted, tasks_proposed
from sinfronteras.plans.carriers import Carry, assign_carriers, carry_hours, km_between, tier_for
from sinfronteras.plans.handover import moment_text, window_text
from sinfronteras.plans.models import SealedAddress, Task, TaskState
from sinfronteras.plans.sealing import Unreadable, unseal
from sinfronteras.plans.windows import HORIZON_DAYS
from sinfronteras.prepared import PreparedQuery
from sinfronteras.sharing.models import Need, NeedStatus, Offer
from sinfronteras.web.formats import amount

from .models import Handover, HandoverState, Transfer, TransferState

#: Days the opening hours are read in (``Slot.weekday``: Monday 0).
WEEKDAYS = range(7)


@dataclass(frozen=True)
class Spot:
    """The public place as the carriers' planner reads an area: a point, never an address."""

    lat: float
    lon: float
    pk: int = -1  # no area has it


def opening_hours(offer) -> list[list]:
    """The public place's weekly opening hours, from its offer's slots: ``[[0, "10:00", "14:00"]]``."""
    return [[s.weekday, f"{s.start:%H:%M}", f"{s.end:%H:%M}"] for s in offer.slots.all()]


def opening_rows(rows) -> list[list]:
    """Opening hours as received, kept only in their plain form (weekday, "HH:MM", "HH:MM")."""
    return [[d, f"{a:%H:%M}", f"{b:%H:%M}"] for d, a, b in spans(rows)]


def spans(hours: list) -> list[tuple[int, time, time]]:
    """Opening hours as the windows' spans; malformed rows are skipped."""
    out = []
    for row in hours or []:
        try:
            weekday, start, end = int(row[0]), time.fromisoformat(row[1]), time.fromisoformat(row[2])
        except (TypeError, ValueError, IndexError):
            continue
        if weekday in WEEKDAYS and start < end:
            out.append((weekday, start, end))
    return out


def collective_of(row: Transfer):
    return row.round.peer.collective


class Carriers:
    """The taker's carriers and the hours each has left, read once for the transfers of one
    offer (a round's, from one giver) and drawn down as each is given a carrier."""

    def __init__(self, collective):
        self.offers = list(Offer.objects.active().filter(collective=collective, resources__carries=True)
                           .exclude(posted_by__on_break_until__gte=timezone.localdate())
                           .select_related("area").prefetch_related("slots").distinct())
        held = dict(Handover.objects.filter(carrier_offer__in=self.offers).exclude(state=HandoverState.RELEASED)
                    .values("carrier_offer").annotate(total=Sum("hours")).values_list("carrier_offer", "total"))
        self.hours_left = {o.pk: o.quantity - Decimal(o.committed_milli) / 1000 - (held.get(o.pk) or Decimal(0))
                           for o in self.offers}


def plan_pickup(row: Transfer, now=None, carriers: Carriers | None = None) -> tuple | None:
    """The taker's side: give the transfer's needs one carrier who can reach the public place
    in its opening hours; ``(start, end)`` of the window found, or None (no carrier can).
    ``carriers``: the collective's, as the transfers offered before this one left them."""
    now = now or timezone.now()
    parts = list(row.handovers.filter(need__isnull=False, state=HandoverState.WAITING)
                 .select_related("need__area", "need__resource").prefetch_related("need__slots"))
    if not parts or row.place_lat is None or row.place_lon is None:
        return None
    collective = collective_of(row)
    carriers = carriers or Carriers(collective)
    place = Spot(row.place_lat, row.place_lon)
    need = parts[0].need
    hours = carry_hours(km_between(place, need.area))
    # The window is the hand-over's at the place (the handling time); the carry on to the
    # person in need follows it, and its hours are the carrier's.
    carry = Carry("transfer", place, need.area, carry_hours(0), tier_for(need), schedules=[spans(row.opening_hours)],
                  earliest=now, latest=now + timedelta(days=HORIZON_DAYS))
    hours_left = dict(carriers.hours_left)  # drawn down by the carriers' planner: a copy
    able = [o for o in carriers.offers if hours_left[o.pk] >= hours]  # the whole carry, not only the hand-over
    assign_carriers([carry], able, hours_left, collective.default_radius_km,
                    tz=timezone.get_current_timezone(), reach_bound=collective.carrier_reach_km)
    if carry.carrier_offer_id is None:
        return None
    # Nobody said a time: a deadline of whole days (no clock time crosses).
    today = week_start(now) + timedelta(days=timezone.localtime(now).weekday())
    window = carry.window or (today, today + timedelta(days=HORIZON_DAYS + 1, minutes=-1))
    carrier = next(o for o in able if o.pk == carry.carrier_offer_id)
    Handover.objects.filter(pk=parts[0].pk).update(hours=hours)
    Handover.objects.filter(pk__in=[p.pk for p in parts]).update(
        carrier_id=carrier.posted_by_id, carrier_offer=carrier, state=HandoverState.PROPOSED)
    carriers.hours_left[carrier.pk] -= hours  # what it holds now, as a fresh read would find it
    return window


def set_window(row: Transfer, start, end) -> None:
    """Both sides: the agreed window; the giver's people are proposed their hand-over."""
    Transfer.objects.filter(pk=row.pk).update(window_start=start, window_end=end, state=TransferState.ACCEPTED,
                                              updated_at=timezone.now())
    waiting = row.handovers.filter(state=HandoverState.WAITING, offer__isnull=False)
    people = list(waiting.values_list("carrier_id", flat=True))
    waiting.update(state=HandoverState.PROPOSED)
    people += list(row.handovers.filter(need__isnull=False, state=HandoverState.PROPOSED)
                   .values_list("carrier_id", flat=True))
    tasks_proposed(people)


def release(row: Transfer, state: str, reason: str = "") -> None:
    """End a transfer on this side (declined or expired): its hand-overs give back what they held."""
    release_all([row], state, reason)


def release_all(rows: list[Transfer], state: str, reason: str = "") -> None:
    """End these transfers on this side, for one reason, with two statements."""
    ids = [row.pk for row in rows]
    Transfer.objects.filter(pk__in=ids).update(state=state, reason=reason[:200], updated_at=timezone.now())
    Handover.objects.filter(transfer_id__in=ids).exclude(state__in=[HandoverState.DONE, HandoverState.RELEASED]).update(
        state=HandoverState.RELEASED)


def received_here(row: Transfer) -> None:
    """The taker's carrier has it: the transfer reads received; the giver's side is done."""
    now = timezone.now()
    Transfer.objects.filter(pk=row.pk).update(state=TransferState.RECEIVED, updated_at=now)
    row.handovers.filter(offer__isnull=False).exclude(state=HandoverState.RELEASED).update(
        state=HandoverState.DONE, done_at=now)


def week_start(now) -> datetime:
    """Monday 00:00 (local time) of the week ``now`` falls in, as a weekly offer's week."""
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), time.min))


def hold(collective, field_name: str, value: str = "quantity") -> dict:
    """What this collective's live (and done) hand-overs hold, per need, offer or carrier offer
    (``plans.problem.HOLDS``): a plan never gives it twice."""
    rows = (Handover.objects.filter(transfer__round__peer__collective=collective)
            .exclude(state=HandoverState.RELEASED).exclude(**{f"{field_name}__isnull": True}))
    if field_name != "need_id":  # a weekly offer counts only this week's, as its tasks do
        rows = rows.exclude(state=HandoverState.DONE, done_at__lt=week_start(timezone.now()),
                            **{f"{field_name.removesuffix('_id')}__weekly": True})
    rows = rows.values(field_name).annotate(total=Sum(value)).order_by()
    return {row[field_name]: row["total"] or Decimal(0) for row in rows}


# --- what the people read, and do -------------------------------------------------------------

class HandoverRefused(Exception):
    """What the member asked cannot be done now (the message says why)."""


#: How long a hand-over done stays on *My tasks*.
DONE_SHOWN = timedelta(days=14)


#: Most hand-overs *My tasks* lists.
TASKS_SHOWN = 30

#: A member's hand-overs for *My tasks*, compiled once (the page every carrier opens).
_TASKS_OF = PreparedQuery(lambda member_id, since: (
    Handover.objects.filter(carrier_id=member_id)
    .exclude(state__in=[HandoverState.WAITING, HandoverState.RELEASED])
    .exclude(state=HandoverState.DONE, done_at__lt=since)
    .select_related("transfer__giver", "transfer__taker", "offer__area", "need__area",
                    "need__resource", "offer")
    .order_by("transfer__window_start", "pk")[:TASKS_SHOWN]), member_id="id", since="datetime")


def tasks_of(member) -> list:
    """The member's hand-overs of transfers, live first (soonest window first), then the ones
    done lately."""
    rows = _TASKS_OF.objects(member_id=member.pk, since=timezone.now() - DONE_SHOWN)
    return sorted(rows, key=lambda h: h.state == HandoverState.DONE)


def _resource(handover):
    if handover.need_id:
        return handover.need.resource
    return handover.offer.resources.filter(uri=handover.transfer.resource).first() or handover.offer.resources.first()


def describe(handover) -> dict:
    """The task's sentence, window and state, for the member who does it."""
    row = handover.transfer
    resource = _resource(handover)
    amount = amount_text(handover.quantity, resource)
    name = resource.name if resource else row.resource
    words = {"what": amount, "resource": name,
             "place": row.place_name, "when": when_text(row)}
    if handover.gives:
        words["other"] = row.taker.name or row.taker.slug
        sentence = _("Hand over %(what)s of %(resource)s to the carrier of %(other)s at %(place)s, %(when)s.")
        onward = ""
    else:
        words["other"] = row.giver.name or row.giver.slug
        sentence = _("Pick up %(what)s of %(resource)s from the carrier of %(other)s at %(place)s, %(when)s.")
        onward = _("Then bring it to the person in need in %(area)s, as for any delivery.") % {
            "area": handover.need.area.name}
    return {"handover": handover, "resource": resource, "name": name, "amount": amount,
            "sentence": sentence % words, "onward": onward, "state": _state_words(handover),
            "can_hand": handover.gives and handover.state == HandoverState.PROPOSED and row.live,
            "can_receive": not handover.gives and handover.state == HandoverState.PROPOSED and row.live,
            "can_deliver": not handover.gives and handover.state == HandoverState.RECEIVED,
            "can_decline": handover.state == HandoverState.PROPOSED and row.live,
            "address": delivery_address(handover)}


def amount_text(quantity, resource) -> str:
    """A quantity the reader's way, in the resource's unit (its bare number where the
    resource is not in this collective's catalogue)."""
    return amount(quantity, resource) if resource else f"{quantity.normalize():f}"


def when_text(row: Transfer) -> str:
    if row.window_start is None:
        return _("no time agreed yet")
    # A window found in opening hours and a carrier's days lies within one day; a longer one is
    # only a deadline (nobody said a time), read as local tasks read it.
    one_day = timezone.localtime(row.window_start).date() == timezone.localtime(row.window_end).date()
    return window_text(_Window(row.window_start, row.window_end, timed=one_day))


@dataclass
class _Window:
    window_start: object
    window_end: object
    timed: bool = True


def _state_words(handover) -> str:
    row = handover.transfer
    if row.state == TransferState.RECEIVED and handover.gives:
        return _("received by the other collective: done")
    return {HandoverState.PROPOSED: _("to do"), HandoverState.HANDED: _("handed over: waiting for the "
                                                                        "other collective to confirm"),
            HandoverState.RECEIVED: _("received: bring it on to the person in need"),
            HandoverState.DONE: _("done")}.get(handover.state, handover.get_state_display())


def delivery_address(handover) -> str:
    """The sealed delivery address, for the carrier between pick-up and delivery only."""
    if handover.gives or handover.state != HandoverState.RECEIVED:
        return ""
    sealed = SealedAddress.objects.filter(need_id=handover.need_id).first()
    try:
        return unseal(sealed.ciphertext) if sealed else ""
    except Unreadable:
        return ""


def access(member, pk: int) -> Handover:
    handover = Handover.objects.filter(pk=pk, carrier=member).select_related("transfer__round__peer").first()
    if handover is None:
        raise HandoverRefused(_("This is not one of your hand-overs."))
    return handover


def too_early(row: Transfer, now=None) -> bool:
    """Before its window a hand-over cannot be marked: nobody has been at the public place yet
    (as a local task cannot be done before its window)."""
    return row.window_start is not None and (now or timezone.now()) < row.window_start


def _refuse_too_early(row: Transfer) -> None:
    if too_early(row):
        raise HandoverRefused(_("Not yet: the hand-over's window has not started.") + " " + _(
            "You can mark it from %(when)s, once you have been at the public place.") % {
            "when": moment_text(row.window_start)})


def do_hand_over(member, handover) -> None:
    """The giver handed it over at the public place: waits for the taker's confirmation."""
    if not (handover.gives and handover.state == HandoverState.PROPOSED and handover.transfer.live):
        raise HandoverRefused(_("This hand-over cannot be marked handed over now."))
    _refuse_too_early(handover.transfer)
    Handover.objects.filter(pk=handover.pk).update(state=HandoverState.HANDED, done_at=timezone.now())


def mark_received(handover) -> None:
    """The taker's carrier has it: the family is told it is on its way."""
    if handover.gives or handover.state != HandoverState.PROPOSED or not handover.transfer.live:
        raise HandoverRefused(_("This hand-over cannot be marked received now."))
    row = handover.transfer
    _refuse_too_early(row)
    parts = list(row.handovers.filter(need__isnull=False, state=HandoverState.PROPOSED).select_related("need"))
    Handover.objects.filter(pk__in=[p.pk for p in parts]).update(state=HandoverState.RECEIVED)
    Transfer.objects.filter(pk=row.pk).update(state=TransferState.RECEIVED, updated_at=timezone.now())
    for part in parts:
        task_accepted(part)  # the person in need: what they asked for is on its way


def do_delivered(member, handover) -> None:
    """The carrier brought it to the person in need: the address is destroyed, a covered need
    is fulfilled."""
    if handover.gives or handover.state != HandoverState.RECEIVED:
        raise HandoverRefused(_("Mark it received at the public place first."))
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(state=HandoverState.DONE, done_at=now)
    need = Need.objects.get(pk=handover.need_id)
    SealedAddress.objects.filter(need_id=need.pk).delete()
    done = (sum(t.quantity for t in Task.objects.filter(need=need, state=TaskState.DONE))
            + sum(h.quantity for h in Handover.objects.filter(need=need, state=HandoverState.DONE)))
    if done >= need.quantity and need.status == NeedStatus.OPEN:
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.FULFILLED, fulfilled_at=now)
