"""Read a collective's open needs and active offers into a planning problem.

What accepted or finished tasks already hold is subtracted first, so that
re-planning keeps them as they are and plans only the rest. The live tasks not yet
accepted are the problem's ``previous`` allocations: their people were told, so the
planner keeps as much of them as every need's share allows (its stability stage).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from sinfronteras.sharing.models import Need, Offer, Resource

from .models import Task, TaskState
from .alerts import alerted_area_ids
from .screen import need_problem, offer_problem, whole
from .windows import week_start

KEPT_STATES = ("accepted", "done")
#: Live tasks whose people were told but that nobody accepted yet: a replan may change them.
LIVE_UNACCEPTED = (TaskState.OPEN, TaskState.PROPOSED)


@dataclass
class Snapshot:
    """The problem (format v1) and the rows it came from, by problem id."""

    problem: dict
    needs: dict[str, Need] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    carriers: list[Offer] = field(default_factory=list)
    carrier_hours: dict[int, Decimal] = field(default_factory=dict)
    #: Areas an alert paused: their needs and offers were left out.
    paused: set[int] = field(default_factory=set)
    #: Rows the run cannot plan, and why (``screen.left_out``): named, not planned.
    left_out: list[dict] = field(default_factory=list)
    #: The carrier offer of each live carry already proposed, by (offer pk, need pk):
    #: a replan asks the same carrier first.
    carriers_before: dict[tuple[int, int], int] = field(default_factory=dict)


#: What other apps hold of a collective's needs, offers and carriers' hours beyond its tasks (a
#: federation's transfers in progress): ``hold(collective, field_name, value) -> {pk: amount}``,
#: each registered by its app's ``ready``.
HOLDS: list = []


def _kept(collective, field_name: str, value: str = "quantity") -> dict[int, Decimal]:
    """What accepted and done tasks hold, per offer (or need); a weekly offer counts
    only this week's finished tasks."""
    offer = field_name.removesuffix("_id")
    last_week = Q(state=TaskState.DONE, done_at__lt=week_start(timezone.now()),
                  **{f"{offer}__weekly": True}) if offer != "need" else Q(pk__in=[])
    rows = (Task.objects.filter(need__collective=collective, state__in=KEPT_STATES)
            .exclude(last_week).values(field_name)
            .annotate(total=Sum(value)))
    kept = {row[field_name]: row["total"] or Decimal(0) for row in rows}
    for hold in HOLDS:
        for pk, amount in hold(collective, field_name, value).items():
            kept[pk] = kept.get(pk, Decimal(0)) + amount
    return kept


def _one_step(resources: list) -> list:
    """An offer's resources that share its first one's step (the planner refuses a mix)."""
    return [r for r in resources if r.step == resources[0].step] if resources else []


def snapshot(collective) -> Snapshot:
    today = timezone.localdate()
    paused = alerted_area_ids(collective.pk)  # deliveries there wait for the alert to end
    resources = list(Resource.objects.filter(collective=collective))
    needs = list(Need.objects.plannable().filter(collective=collective).exclude(area_id__in=paused)
                 .select_related("resource", "area", "action_link__action")
                 .prefetch_related("slots"))
    offers = list(
        Offer.objects.active().filter(collective=collective).select_related("area")
        .prefetch_related("resources", "slots").exclude(available_until__lt=today)
        .exclude(posted_by__on_break_until__gte=today)  # burnout is a planning error
        .exclude(area_id__in=paused)
    )
    kept_need, kept_offer = _kept(collective, "need_id"), _kept(collective, "offer_id")
    kept_hours = _kept(collective, "carrier_offer_id", "hours")
    default_radius = collective.default_radius_km
    snap = Snapshot(problem={"version": 1, "resources": [], "places": [], "needs": [], "offers": []},
                    paused=paused)
    doc = snap.problem
    doc["resources"] = [_resource(r) for r in resources if not r.carries]
    places = {}
    now = timezone.now()
    for need in needs:
        left = whole(need.quantity - kept_need.get(need.pk, 0), need.resource.step, up=True)
        if left > 0 and not need.resource.carries:
            if refused := need_problem(need, now):
                snap.left_out.append(refused)
                continue
            places[need.area_id] = need.area
            snap.needs[f"n{need.pk}"] = need
            doc["needs"].append({"id": f"n{need.pk}", "resource": need.resource.key,
                                 "quantity": float(left), "place": f"a{need.area_id}",
                                 "urgent": need.urgent})
    for offer in offers:
        kinds = _one_step(list(offer.resources.all()))
        keys = [r.key for r in kinds]
        carries = any(r.carries for r in offer.resources.all())
        if carries:
            left = offer.quantity - kept_hours.get(offer.pk, 0)
            if left > 0 and (refused := offer_problem(offer)):
                snap.left_out.append(refused)
            elif left > 0:
                snap.carriers.append(offer)
                snap.carrier_hours[offer.pk] = left
            continue
        left = whole(offer.quantity - kept_offer.get(offer.pk, 0), kinds[0].step if kinds else None,
                     up=False)
        if left <= 0 or not keys:
            continue
        if refused := offer_problem(offer):
            snap.left_out.append(refused)
            continue
        places[offer.area_id] = offer.area
        snap.offers[f"o{offer.pk}"] = offer
        entry = {"id": f"o{offer.pk}", "resources": keys, "quantity": float(left),
                 "place": f"a{offer.area_id}"}
        radius = offer.radius_km if offer.radius_km is not None else default_radius
        if radius is not None:
            entry["radius_km"] = float(radius)
        doc["offers"].append(entry)
    doc["places"] = [{"id": f"a{a.pk}", "lat": a.lat, "lon": a.lon}
                     for a in sorted(places.values(), key=lambda a: a.pk)]
    _previous(collective, snap)
    return snap


def _previous(collective, snap: Snapshot) -> None:
    """The live tasks not yet accepted, as the problem's previous allocations: their
    people were told, so the plan keeps as much of them as every need's share allows."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for offer_id, need_id, quantity, carrier_offer_id in (
            Task.objects.filter(need__collective=collective, state__in=LIVE_UNACCEPTED)
            .order_by("pk").values_list("offer_id", "need_id", "quantity", "carrier_offer_id")):
        if f"o{offer_id}" in snap.offers and f"n{need_id}" in snap.needs:
            totals[offer_id, need_id] += quantity
            if carrier_offer_id:
                snap.carriers_before.setdefault((offer_id, need_id), carrier_offer_id)
    if totals:
        snap.problem["previous"] = [{"offer": f"o{o}", "need": f"n{n}", "quantity": float(q)}
                                    for (o, n), q in sorted(totals.items())]


def _resource(r: Resource) -> dict:
    entry = {"id": r.key, "unit": r.unit, "basic": r.basic}
    if r.step:
        entry["step"] = float(r.step)
    return entry


def resource_areas(snap: Snapshot) -> dict[str, dict]:
    """Names for the shortage report: resource key -> name/unit, area id -> name."""
    names: dict[str, dict] = defaultdict(dict)
    for need in snap.needs.values():
        names["resources"][need.resource.key] = {"name_en": need.resource.name_en,
                                                 "name_es": need.resource.name_es,
                                                 "unit": need.resource.unit,
                                                 "unit_es": need.resource.unit_es}
        names["places"][f"a{need.area_id}"] = need.area.name
    for offer in snap.offers.values():
        names["places"][f"a{offer.area_id}"] = offer.area.name
    return dict(names)
