"""Write a computed plan in one transaction, under a lock on the collective."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.members.models import Collective
from sinfronteras.notify.hooks import carries_planned, tasks_dropped, tasks_proposed
from sinfronteras.sharing.models import Need, NeedStatus, Offer

from .models import Allocation, DropReason, NeedOutcome, PlanRun, RunStatus, Task, TaskKind, TaskState
from .screen import whole

LIVE_UNACCEPTED = (TaskState.OPEN, TaskState.PROPOSED)
KEPT = (TaskState.ACCEPTED, TaskState.DONE)


class RunGone(Exception):
    """The run was taken for dead (stale) while it computed: it must store nothing."""


class PlanChanged(Exception):
    """Needs changed, or tasks were accepted, while the plan was computed: compute again."""


def milli(amount: Decimal) -> int:
    return int((amount * 1000).to_integral_value())


class Ledger:
    """What a plan's writes take from offers (or give back), summed per offer and written with
    one statement per offer (``flush``): the database's bounds hold the sums."""

    def __init__(self):
        self.milli: dict[int, int] = defaultdict(int)

    def add(self, offer_id: int, amount: Decimal) -> None:
        self.milli[offer_id] += milli(amount)

    def flush(self) -> None:
        for offer_id, delta in self.milli.items():
            if delta:
                Offer.objects.filter(pk=offer_id).update(committed_milli=F("committed_milli") + delta)
        self.milli.clear()


def release(task: Task, ledger: Ledger | None = None) -> None:
    """Give back what a task took from its offer and its carrier's hours."""
    commit(task.offer_id, -task.quantity, ledger)
    if task.carrier_offer_id:
        commit(task.carrier_offer_id, -task.hours, ledger)


def commit(offer_id: int, amount: Decimal, ledger: Ledger | None = None) -> None:
    """Take from an offer (or give back, negative); the database refuses to go
    beyond the offer's quantity or below nothing. With a ``ledger``, written when it is flushed."""
    if not amount:
        return
    if ledger is not None:
        ledger.add(offer_id, amount)
    else:
        Offer.objects.filter(pk=offer_id).update(committed_milli=F("committed_milli") + milli(amount))


def retire(tasks, state) -> int:
    """End these tasks in ``state``, under row locks, giving back what they held."""
    with transaction.atomic():
        locked = list(tasks.select_for_update())
        for task in locked:
            release(task)
        Task.objects.filter(pk__in=[t.pk for t in locked]).update(state=state)
    return len(locked)


@transaction.atomic
def store(run: PlanRun, outcome) -> None:
    """Write the plan. A live task whose allocation the plan keeps (same giver, need and
    carrier) stays the same task, with its id, messages, proposal and window; the others
    are dropped with a reason their people read, and new ones are made."""
    Collective.objects.select_for_update().get(pk=run.collective_id)
    if not PlanRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists():
        raise RunGone(f"plan run #{run.pk} was marked failed while it computed; nothing stored")
    _check_unchanged(outcome)
    now = timezone.now()
    NeedOutcome.objects.bulk_create([
        NeedOutcome(run=run, need=outcome.snap.needs[row["id"]],
                    met=Decimal(str(row["met"])).quantize(Decimal("0.001")),
                    fraction=row["fraction"], tier=row["tier"], reason=row.get("reason") or "")
        for row in outcome.plan_doc["needs"]
    ])
    live, ledger = {}, Ledger()
    for task in (Task.objects.select_for_update(of=("self",)).select_related("offer", "need")
                 .filter(need__collective=run.collective, state__in=LIVE_UNACCEPTED).order_by("pk")):
        live.setdefault((task.offer_id, task.need_id), []).append(task)
        release(task, ledger)  # every live task gives back first; the kept ones take again below
    kept, proposed = _write_tasks(run, outcome, live, now, ledger)
    ledger.flush()
    dropped = [t for tasks in live.values() for t in tasks if t.pk not in kept]
    _mark_dropped(dropped, DropReason.REPLANNED, now)
    # What the people already told kept: the plan page says it.
    outcome.summary["replan"] = {"told": sum(map(len, live.values())), "kept": len(kept),
                                 "dropped": len(dropped)}
    PlanRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), progress=100, stage="done",
        summary=outcome.summary, parameters=outcome.parameters, decisions=outcome.decisions,
        left_out=outcome.snap.left_out, problem_doc=outcome.snap.problem, plan_doc=outcome.plan_doc)
    record(run.collective, "plan.done", actor=None,
           data={"run": run.pk, "tasks": len(outcome.tasks), "kept": len(kept), "dropped": len(dropped),
                 "decisions": outcome.decisions, "left_out": len(outcome.snap.left_out)})

    tasks_proposed(proposed)
    tasks_dropped(dropped)
    # The givers of new carries: a carrier comes to pick up (kept carries were told before).
    carries_planned(Task.objects.filter(run=run, kind=TaskKind.CARRY).exclude(pk__in=kept)
                    .values_list("offer__posted_by_id", flat=True))


def _write_tasks(run, outcome, live: dict, now, ledger: Ledger) -> tuple[set, list]:
    """Keep the live task of each planned allocation with the same people, else make one (the
    new ones written together). Returns the kept tasks' ids and the carriers newly proposed a task."""
    kept, proposed, new = set(), [], []
    for planned in outcome.tasks:
        carry = planned.carry
        carrier_offer = carry.carrier_offer_id if carry else None
        hours = carry.hours if carry else Decimal(0)
        carrier = planned.offer.posted_by_id if carry is None else (
            _owner(outcome, carrier_offer) if carrier_offer else None)
        same = next((t for t in live.get((planned.offer.pk, planned.need.pk), [])
                     if t.pk not in kept and _same_people(t, carrier, carrier_offer)), None)
        if same is not None:
            kept.add(same.pk)
            if _keep(same, run, planned, carrier, carrier_offer, hours, now, ledger):
                proposed.append(carrier)
            continue
        allocation = Allocation(run=run, offer=planned.offer, need=planned.need,
                                quantity=planned.quantity, km=planned.km)
        start, end = planned.window or (now, max(planned.window_end, now + _MINUTE))
        new.append((allocation, Task(
            run=run, need=planned.need, offer=planned.offer,
            quantity=planned.quantity, kind=planned.kind, km=planned.km,
            state=TaskState.PROPOSED if carrier else TaskState.OPEN,
            carrier_id=carrier, carrier_offer_id=carrier_offer, hours=hours,
            window_start=start, window_end=end, timed=planned.window is not None)))
        commit(planned.offer.pk, planned.quantity, ledger)
        if carrier_offer:
            commit(carrier_offer, hours, ledger)
        if carrier:
            proposed.append(carrier)
    Allocation.objects.bulk_create([allocation for allocation, _task in new])
    for allocation, task in new:
        task.allocation = allocation
    Task.objects.bulk_create([task for _allocation, task in new])
    return kept, proposed


def _same_people(task: Task, carrier, carrier_offer) -> bool:
    """The plan gives this allocation to the people the task already names (a carry not yet
    proposed to anyone may find its carrier now)."""
    if task.carrier_id is None:
        return True
    return task.carrier_id == carrier and task.carrier_offer_id == carrier_offer


def _keep(task: Task, run, planned, carrier, carrier_offer, hours, now, ledger: Ledger) -> bool:
    """The same task, on the new run, its quantity (and hours) as the plan says now; its
    window stays while it is still ahead. True if it is newly proposed to a carrier."""
    newly = carrier is not None and task.carrier_id is None
    commit(task.offer_id, planned.quantity, ledger)  # what it held was given back in ``store``
    if carrier_offer:
        commit(carrier_offer, hours, ledger)
    if newly or task.window_end <= now:
        start, end = planned.window or (now, max(planned.window_end, now + _MINUTE))
        task.window_start, task.window_end, task.timed = start, end, planned.window is not None
    Allocation.objects.filter(pk=task.allocation_id).update(run=run, quantity=planned.quantity,
                                                            km=planned.km)
    task.run, task.quantity, task.km, task.hours = run, planned.quantity, planned.km, hours
    task.carrier_id, task.carrier_offer_id = carrier, carrier_offer
    task.state = TaskState.PROPOSED if carrier else TaskState.OPEN
    task.save(update_fields=["run", "quantity", "km", "hours", "carrier", "carrier_offer", "state",
                             "window_start", "window_end", "timed"])
    return newly


def drop(tasks, reason: str, now=None, alert=None) -> None:
    """End these live tasks (locked by the caller) as replanned, saying why to their people;
    give back what they held."""
    for task in tasks:
        release(task)
    _mark_dropped(tasks, reason, now or timezone.now(), alert)


def _mark_dropped(tasks, reason: str, now, alert=None) -> None:
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
        state=TaskState.SUPERSEDED, dropped_reason=reason, dropped_at=now, paused_by=alert)


def _check_unchanged(outcome) -> None:
    """Under the locks: every planned need still open, with at least what it had left
    when the plan was computed (an accept in the meantime would be planned twice)."""
    left_then = {row["id"]: Decimal(str(row["quantity"])) for row in outcome.snap.problem["needs"]}
    needs = {f"n{pk}": (quantity, status) for pk, quantity, status in Need.objects.filter(
        pk__in=[need.pk for need in outcome.snap.needs.values()]).values_list("pk", "quantity", "status")}
    kept = dict(Task.objects.filter(need_id__in=[n.pk for n in outcome.snap.needs.values()],
                                    state__in=KEPT).values("need_id").annotate(total=Sum("quantity"))
                .values_list("need_id", "total"))
    for key, then in left_then.items():
        if key not in needs or needs[key][1] != NeedStatus.OPEN:
            raise PlanChanged(f"need {key} was withdrawn or deleted while the plan was made")
        left = whole(needs[key][0] - kept.get(int(key[1:]), 0), outcome.snap.needs[key].resource.step,
                     up=True)
        if left < then - Decimal("0.0005"):
            raise PlanChanged(f"need {key} changed while the plan was made")


def _owner(outcome, carrier_offer_id: int) -> int:
    return next(o.posted_by_id for o in outcome.snap.carriers if o.pk == carrier_offer_id)


_MINUTE = timedelta(minutes=1)
