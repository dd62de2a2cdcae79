"""Compute a plan for a collective (no writes): planner, baseline, carriers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.utils import timezone

from sinfronteras.planning import Problem, greedy, plan

from .carriers import Carry, assign_carriers, carry_hours, km_between, tier_for
from .problem import Snapshot, resource_areas, snapshot
from .report import promises
from .runs import parameters

THOUSANDTH = Decimal("0.001")


@dataclass
class PlannedTask:
    need: object
    offer: object
    quantity: Decimal
    km: float
    kind: str
    window_end: datetime
    carry: Carry | None = None


@dataclass
class Outcome:
    snap: Snapshot
    plan_doc: dict
    tasks: list[PlannedTask] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    decisions: list = field(default_factory=list)


def window_end(need, now) -> datetime:
    """The end of the day the need is needed by, else a few days from now."""
    if need.needed_by:
        end = timezone.make_aware(datetime.combine(need.needed_by, time(23, 59)))
        if end > now + timedelta(hours=1):
            return end
    return now + timedelta(days=settings.TASK_WINDOW_DAYS)


def compute(collective, progress=lambda stage, pct: None) -> Outcome:
    now = timezone.now()
    snap = snapshot(collective)
    params, decisions = parameters(collective, snap.paused)
    progress("planning", 10)
    problem = Problem.from_json(snap.problem)
    result = plan(problem, progress=lambda message: progress(f"planning: {message}"[:60], 40))
    plan_doc = result.to_json()
    progress("comparing", 75)
    baseline_doc = greedy(problem).to_json()
    baseline = baseline_doc["summary"]
    outcome = Outcome(snap=snap, plan_doc=plan_doc, parameters=params, decisions=decisions)
    carries = []
    for index, allocation in enumerate(plan_doc["allocations"]):
        need, offer = snap.needs[allocation["need"]], snap.offers[allocation["offer"]]
        quantity = Decimal(str(allocation["quantity"])).quantize(THOUSANDTH, rounding=ROUND_DOWN)
        if quantity <= 0:
            continue
        km = km_between(offer.area, need.area)
        task = PlannedTask(need, offer, quantity, km, "handover", window_end(need, now))
        if offer.area_id != need.area_id and not need.resource.in_person:
            task.kind = "carry"
            task.carry = Carry(f"t{index}", offer.area, need.area, carry_hours(km), tier_for(need))
            carries.append(task.carry)
        outcome.tasks.append(task)
    progress("carriers", 85)
    hours_left = dict(snap.carrier_hours)
    uncarried = assign_carriers(carries, snap.carriers, hours_left, collective.default_radius_km)
    outcome.summary = {
        "plan": plan_doc["summary"], "greedy": baseline, "names": resource_areas(snap),
        # What each promises, per tier, for the plan page's comparison (stored with the run).
        "promises": {"plan": promises(snap.problem["needs"], plan_doc["needs"]),
                     "greedy": promises(snap.problem["needs"], baseline_doc["needs"])},
        "carriers": {"carries": len(carries), "assigned": len(carries) - len(uncarried),
                     "uncarried": [_uncarried(t) for t in outcome.tasks
                                   if t.carry is not None and t.carry in uncarried]},
        "counts": {"needs": len(snap.needs), "offers": len(snap.offers),
                   "carriers": len(snap.carriers)},
    }
    return outcome


def _uncarried(task: PlannedTask) -> dict:
    return {"need": task.need.pk, "resource": task.need.resource.key,
            "from": task.offer.area.name, "to": task.need.area.name,
            "quantity": float(task.quantity), "hours": float(task.carry.hours),
            "tier": task.carry.tier}
