"""The second planning stage: who carries what between areas.

Carry tasks go to volunteers who offered carrying (hours, a reach in km), by the
same planner: each task is a need for hours of carrying at its pick-up area, in
the tier of the need it serves; each carrier an offer of its hours. The
planner's fractional answer is then rounded to one carrier per task, in tier
order, never beyond a carrier's hours or reach (pick-up and drop-off both
within the carrier's reach), and only at a time the giver, the receiver and the
carrier all said they can (``windows``). What cannot be carried is reported, not
hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_UP, Decimal

from sinfronteras.planning import Problem, plan
from sinfronteras.planning.arcs import haversine_km
from sinfronteras.planning.model import tier_of

from .models import Task, TaskKind, TaskState
from .windows import first_window

#: A carry takes this long to arrange and hand over, plus the drive at CITY_KMH.
HANDLING_HOURS = 0.5
CITY_KMH = 20.0


def km_between(a, b) -> float:
    """Great-circle distance between two areas: the planner's own haversine, so that
    a reach checked here agrees with the planner's arcs."""
    return float(haversine_km(a.lat, a.lon, b.lat, b.lon))


def carry_hours(km: float) -> Decimal:
    """Hours a carry of ``km`` takes, rounded up to a quarter hour."""
    hours = Decimal(str(HANDLING_HOURS + km / CITY_KMH))
    return (hours * 4).quantize(Decimal(1), rounding=ROUND_UP) / 4


@dataclass
class Carry:
    """A carry to assign: pick-up and drop-off areas, hours, and its tier."""

    key: str
    pickup: object
    dropoff: object
    hours: Decimal
    tier: int
    carrier_offer_id: int | None = None
    #: The giver's and the receiver's slots, and the stretch of time to look in.
    schedules: list = field(default_factory=list)
    earliest: datetime | None = None
    latest: datetime | None = None
    #: The window found with the carrier: (start, end), or None when nobody said a time.
    window: tuple | None = None
    #: The carrier offer this carry was proposed to before (a replan asks it first).
    before: int | None = None


def spans_of(offer) -> list:
    """An offer's (or a need's) slots as plain spans."""
    return [slot.span for slot in offer.slots.all()]


def time_fits(carry: Carry, carrier_offer, tz):
    """The window in which the carrier can do the carry: None (nobody said a time),
    False (no common time), or (start, end)."""
    if carry.earliest is None:
        return None
    return first_window(carry.schedules + [spans_of(carrier_offer)], carry.earliest,
                        carry.latest, float(carry.hours) * 60, tz)


def reach_km(offer, default_radius) -> float:
    radius = offer.radius_km if offer.radius_km is not None else default_radius
    return math.inf if radius is None else float(radius)


def _problem(carries, carriers, hours_left, default_radius, reach_bound=None) -> dict:
    areas = {c.pickup.pk: c.pickup for c in carries} | {o.area_id: o.area for o in carriers}
    doc = {"version": 1,
           "resources": [{"id": "carry-basic", "unit": "h", "basic": True},
                         {"id": "carry-other", "unit": "h", "basic": False}],
           "places": [{"id": f"a{pk}", "lat": a.lat, "lon": a.lon} for pk, a in sorted(areas.items())],
           "needs": [{"id": c.key, "resource": "carry-basic" if c.tier <= 2 else "carry-other",
                      "quantity": float(c.hours), "place": f"a{c.pickup.pk}",
                      "urgent": c.tier in (1, 3)} for c in carries],
           "offers": []}
    for offer in carriers:
        entry = {"id": f"c{offer.pk}", "resources": ["carry-basic", "carry-other"],
                 "quantity": float(hours_left[offer.pk]), "place": f"a{offer.area_id}"}
        reach = min(reach_km(offer, default_radius),
                    math.inf if reach_bound is None else float(reach_bound))
        if reach != math.inf:
            entry["radius_km"] = reach
        doc["offers"].append(entry)
    return doc


def assign_carriers(carries: list[Carry], carriers: list, hours_left: dict, default_radius=None,
                    tz=None, *, most_each: int | None = None, live: dict | None = None,
                    reach_bound=None):
    """Give each carry at most one carrier. Returns the carries that found none.

    ``hours_left`` (carrier offer pk -> hours) is drawn down in place; each carry
    assigned gets the carrier's window (``carry.window``). ``most_each``: no person
    (all their carrying offers together) is given more than this many carries, counting
    the ``live`` ones they already hold (member pk -> carries), so addresses are spread
    over carriers and no one account collects them. ``reach_bound``: the farthest any
    carrying offer reaches (an offer with no reach reaches this far, not everywhere).
    """
    if not carries:
        return []
    if not carriers:
        return list(carries)
    fractional = plan(Problem.from_json(_problem(carries, carriers, hours_left, default_radius,
                                                         reach_bound)))
    share: dict[str, dict[int, float]] = {}
    for allocation in fractional.allocations:
        share.setdefault(allocation.need, {})[int(allocation.offer[1:])] = allocation.quantity
    by_pk = {offer.pk: offer for offer in carriers}
    held = dict(live or {})
    limits = (most_each, held, reach_bound)
    unassigned = []
    # Tier by tier; within a tier, a replan keeps its word first: a carry already proposed
    # asks the same carrier before any other, and before the carries nobody was told about.
    for carry in sorted(carries, key=lambda c: (c.tier, c.before is None, -c.hours, c.key)):
        preferred = sorted(share.get(carry.key, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        others = sorted((km_between(o.area, carry.pickup), pk) for pk, o in by_pk.items())
        order = ([carry.before] if carry.before in by_pk else []) + [pk for pk, _ in preferred] + [
            pk for _, pk in others]
        if not any(_try(carry, by_pk[pk], hours_left, default_radius, tz, limits)
               for pk in dict.fromkeys(order)):
            unassigned.append(carry)
    return unassigned


def _try(carry: Carry, offer, hours_left: dict, default_radius, tz, limits) -> bool:
    """Give ``carry`` to this carrier offer if its hours, reach and times allow, and its
    person holds fewer live carries than the members allow (``limits``: most each, held
    so far, farthest reach)."""
    most_each, held, reach_bound = limits
    person = offer.posted_by_id
    if most_each is not None and held.get(person, 0) >= most_each:
        return False
    reach = min(reach_km(offer, default_radius),
                math.inf if reach_bound is None else float(reach_bound))
    if not (hours_left[offer.pk] >= carry.hours and km_between(offer.area, carry.pickup) <= reach
            and km_between(offer.area, carry.dropoff) <= reach):
        return False
    window = time_fits(carry, offer, tz)
    if window is False:
        return False
    carry.carrier_offer_id, carry.window = offer.pk, window
    hours_left[offer.pk] -= carry.hours
    held[person] = held.get(person, 0) + 1
    return True


def live_carries(collective) -> dict[int, int]:
    """How many accepted carries each member holds now (their addresses still live)."""
    from django.db.models import Count

    rows = (Task.objects.filter(need__collective=collective, kind=TaskKind.CARRY,
                                state=TaskState.ACCEPTED, carrier__isnull=False)
            .values("carrier_id").annotate(n=Count("pk")).order_by())
    return {row["carrier_id"]: row["n"] for row in rows}


def tier_for(need) -> int:
    return tier_of(need.resource.basic, need.urgent)
