"""Compute a plan for a collective (no writes): planner, baseline, carriers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from sinfronteras.planning import Problem, greedy, plan
from sinfronteras.members.services import decisions_in_force
from sinfronteras.planning.errors import ProblemError

from .carriers import (HANDLING_HOURS, Carry, assign_carriers, carry_hours, km_between, live_carries,
                       spans_of, tier_for)
from .problem import Snapshot, resource_areas, snapshot
from .report import promises
from .screen import drop_entry, window_end
from .windows import HORIZON_DAYS, first_window

THOUSANDTH = Decimal("0.001")
#: The reason a planned share became no task: its people have no time in common.
NO_COMMON_TIME = "no_common_time"


@dataclass
class PlannedTask:
    need: object
    offer: object
    quantity: Decimal
    km: float
    kind: str
    window_end: datetime
    carry: Carry | None = None
    #: A concrete (start, end) the people of the task can; None: only a deadline.
    window: tuple | None = None


@dataclass
class Outcome:
    snap: Snapshot
    plan_doc: dict
    tasks: list[PlannedTask] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    decisions: list = field(default_factory=list)


def action_of(need):
    link = getattr(need, "action_link", None)  # a missing one raises an AttributeError
    return link.action if link else None


def time_range(need, now) -> tuple[datetime, datetime]:
    """Where to look for a timed window: from now to the need's deadline (an action's
    start), else a week and a day ahead."""
    action = action_of(need)
    if action is not None:
        return now, max(action.starts_at, now)
    if need.needed_by:
        return now, timezone.make_aware(datetime.combine(need.needed_by, time(23, 59)))
    return now, now + timedelta(days=HORIZON_DAYS)


def presence_window(need, offer, tz):
    """A hand at an action: from its start, for its hours each, if the giver can then."""
    action = action_of(need)
    if action is None or not need.resource.in_person or not action.hours_each:
        return None
    start = action.starts_at
    end = start + timedelta(hours=float(action.hours_each))
    window = first_window([spans_of(offer)], start, end, float(action.hours_each) * 60, tz)
    return (start, end) if window is None else window


def handover_window(need, offer, now, tz):
    """(start, end), None (nobody said a time) or False (no common time)."""
    if (window := presence_window(need, offer, tz)) is not None:
        return window
    earliest, latest = time_range(need, now)
    return first_window([spans_of(need), spans_of(offer)], earliest, latest,
                        HANDLING_HOURS * 60, tz)


def parameters(collective, paused: set[int]) -> dict:
    """The settings in force for a run, the areas an alert left out (``paused``, as the
    run's snapshot saw them), and the decisions behind the settings."""
    basic = sorted(collective.resources.filter(basic=True).values_list("key", flat=True))
    radius = collective.default_radius_km
    names = sorted(collective.areas.filter(pk__in=paused).values_list("name", flat=True))
    waiting = collective.needs.open().filter(area_id__in=paused).count()
    return {"retention_days": collective.retention_days, "horizon_days": collective.horizon_days,
            "default_radius_km": None if radius is None else float(radius),
            "basic_resources": basic, "paused_areas": names,
            "paused_needs": waiting}, decisions_in_force(collective)


def compute(collective, progress=lambda stage, pct: None, solve=None) -> Outcome:
    """The plan of ``collective``'s needs and offers, as tasks. ``solve(snap, problem)``, when
    given, returns the plan document instead of the planner (a federation round's share)."""
    now = timezone.now()
    snap = snapshot(collective)
    params, decisions = parameters(collective, snap.paused)
    progress("planning", 10)
    problem = _problem(snap)
    if solve is None:
        result = plan(problem, progress=lambda message: progress(f"planning: {message}"[:60], 40))
        plan_doc = result.to_json()
    else:
        plan_doc = solve(snap, problem)
    progress("comparing", 75)
    baseline_doc = greedy(problem).to_json()
    baseline = baseline_doc["summary"]
    outcome = Outcome(snap=snap, plan_doc=plan_doc, parameters=params, decisions=decisions)
    carries, untimed = [], []
    tz = timezone.get_current_timezone()
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
        task.window = handover_window(need, offer, now, tz)
        if task.window is False:  # giver and receiver have no time in common
            untimed.append(task)
            continue
        if offer.area_id != need.area_id and not need.resource.in_person:
            task.kind = "carry"
            earliest, latest = time_range(need, now)
            task.carry = Carry(f"t{index}", offer.area, need.area, carry_hours(km), tier_for(need),
                               schedules=[spans_of(need), spans_of(offer)],
                               earliest=earliest, latest=latest,
                               before=snap.carriers_before.get((offer.pk, need.pk)))
            carries.append(task.carry)
        outcome.tasks.append(task)
    progress("carriers", 85)
    hours_left = dict(snap.carrier_hours)
    uncarried = assign_carriers(carries, snap.carriers, hours_left, collective.default_radius_km,
                                tz=tz, most_each=collective.carrier_live_addresses,
                                live=live_carries(collective), reach_bound=collective.carrier_reach_km)
    for task in outcome.tasks:
        if task.carry is not None and task.carry.window:
            task.window = task.carry.window
    _mark_untimed(plan_doc, untimed)
    outcome.summary = {
        "plan": plan_doc["summary"], "greedy": baseline, "names": resource_areas(snap),
        # What each promises, per tier, for the plan page's comparison (stored with the run).
        "promises": {"plan": promises(snap.problem["needs"], plan_doc["needs"]),
                     "greedy": promises(snap.problem["needs"], baseline_doc["needs"])},
        "carriers": {"carries": len(carries), "assigned": len(carries) - len(uncarried),
                     "uncarried": [_uncarried(t) for t in outcome.tasks
                                   if t.carry is not None and t.carry in uncarried]},
        "untimed": [_untimed(t) for t in untimed],
        "counts": {"needs": len(snap.needs), "offers": len(snap.offers),
                   "carriers": len(snap.carriers), "left_out": len(snap.left_out)},
    }
    return outcome


def _mark_untimed(plan_doc, untimed) -> None:
    """A need whose share found no common time says so (the person can add hours)."""
    keys = {f"n{t.need.pk}" for t in untimed}
    for row in plan_doc["needs"]:
        if row["id"] in keys:
            row["reason"] = NO_COMMON_TIME


def _untimed(task: PlannedTask) -> dict:
    return {"need": task.need.pk, "offer": task.offer.pk, "resource": task.need.resource.key,
            "quantity": float(task.quantity), "reason": NO_COMMON_TIME}


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
