"""Compute a plan for a collective (no writes): planner, baseline, carriers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from sinfronteras.planning import Problem, greedy, plan
from sinfronteras.planning.errors import ProblemError

from .carriers import Carry, assign_carriers, carry_hours, km_between, tier_for
from .problem import Snapshot, resource_areas, snapshot
from .runs import parameters
from .screen import drop_entry, window_end

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


def compute(collective, progress=lambda stage, pct: None) -> Outcome:
    now = timezone.now()
    snap = snapshot(collective)
    params, decisions = parameters(collective, snap.paused)
    progress("planning", 10)
    problem = _problem(snap)
    result = plan(problem, progress=lambda message: progress(f"planning: {message}"[:60], 40))
    plan_doc = result.to_json()
    progress("comparing", 75)
    baseline = greedy(problem).to_json()["summary"]
    outcome = Outcome(snap=snap, plan_doc=plan_doc, parameters=params, decisions=decisions)
    carries = []
    # What each need may still get and each offer still give: a solver's rounding (huge
    # and tiny quantities in one plan) never takes a thousandth beyond either.
    room = {row["id"]: _thousandths(row["quantity"])
            for part in ("needs", "offers") for row in snap.problem[part]}
    for index, allocation in enumerate(plan_doc["allocations"]):
        need, offer = snap.needs[allocation["need"]], snap.offers[allocation["offer"]]
        quantity = min(_thousandths(allocation["quantity"]), room[allocation["need"]],
                       room[allocation["offer"]])
        if quantity <= 0:
            continue
        room[allocation["need"]] -= quantity
        room[allocation["offer"]] -= quantity
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
        "carriers": {"carries": len(carries), "assigned": len(carries) - len(uncarried),
                     "uncarried": [_uncarried(t) for t in outcome.tasks
                                   if t.carry is not None and t.carry in uncarried]},
        "counts": {"needs": len(snap.needs), "offers": len(snap.offers),
                   "carriers": len(snap.carriers), "left_out": len(snap.left_out)},
    }
    return outcome


def _thousandths(value: float) -> Decimal:
    return Decimal(str(value)).quantize(THOUSANDTH, rounding=ROUND_DOWN)


def _problem(snap: Snapshot) -> Problem:
    """The planning problem; an entry the library refuses is left out (and named), not fatal."""
    for _attempt in range(len(snap.problem["needs"]) + len(snap.problem["offers"]) + 2):
        try:
            return Problem.from_json(snap.problem)
        except ProblemError as refused:
            if not drop_entry(snap, refused.entry, refused.message):
                raise
    return Problem.from_json(snap.problem)


def _uncarried(task: PlannedTask) -> dict:
    return {"need": task.need.pk, "resource": task.need.resource.key,
            "from": task.offer.area.name, "to": task.need.area.name,
            "quantity": float(task.quantity), "hours": float(task.carry.hours),
            "tier": task.carry.tier}
