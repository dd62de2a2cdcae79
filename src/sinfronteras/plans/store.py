"""Write a computed plan in one transaction, under a lock on the collective."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.members.models import Collective
from sinfronteras.sharing.models import Need, NeedStatus, Offer

from .models import Allocation, NeedOutcome, PlanRun, RunStatus, Task, TaskState
from .problem import whole

LIVE_UNACCEPTED = (TaskState.OPEN, TaskState.PROPOSED)
KEPT = (TaskState.ACCEPTED, TaskState.DONE)


class RunGone(Exception):
    """The run was taken for dead (stale) while it computed: it must store nothing."""


class PlanChanged(Exception):
    """Needs changed, or tasks were accepted, while the plan was computed: compute again."""


def milli(amount: Decimal) -> int:
    return int((amount * 1000).to_integral_value())


def release(task: Task) -> None:
    """Give back what a task took from its offer and its carrier's hours."""
    commit(task.offer_id, -task.quantity)
    if task.carrier_offer_id:
        commit(task.carrier_offer_id, -task.hours)


def commit(offer_id: int, amount: Decimal) -> None:
    """Take from an offer (or give back, negative); the database refuses to go
    beyond the offer's quantity or below nothing."""
    if amount:
        Offer.objects.filter(pk=offer_id).update(committed_milli=F("committed_milli") + milli(amount))


def retire(tasks, state) -> int:
    """End these tasks in ``state``, under row locks, giving back what they held."""
    with transaction.atomic():
        locked = list(tasks.select_for_update())
        for task in locked:
            release(task)
        Task.objects.filter(pk__in=[t.pk for t in locked]).update(state=state)
    return len(locked)


def _supersede_unaccepted(collective) -> None:
    retire(Task.objects.filter(need__collective=collective, state__in=LIVE_UNACCEPTED),
           TaskState.SUPERSEDED)


@transaction.atomic
def store(run: PlanRun, outcome) -> None:
    Collective.objects.select_for_update().get(pk=run.collective_id)
    if not PlanRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists():
        raise RunGone(f"plan run #{run.pk} was marked failed while it computed; nothing stored")
    _supersede_unaccepted(run.collective)
    _check_unchanged(outcome)
    now = timezone.now()
    NeedOutcome.objects.bulk_create([
        NeedOutcome(run=run, need=outcome.snap.needs[row["id"]],
                    met=Decimal(str(row["met"])).quantize(Decimal("0.001")),
                    fraction=row["fraction"], tier=row["tier"], reason=row.get("reason") or "")
        for row in outcome.plan_doc["needs"]
    ])
    for planned in outcome.tasks:
        allocation = Allocation.objects.create(run=run, offer=planned.offer, need=planned.need,
                                               quantity=planned.quantity, km=planned.km)
        carry = planned.carry
        carrier_offer = carry.carrier_offer_id if carry else None
        hours = carry.hours if carry else Decimal(0)
        carrier = planned.offer.posted_by_id if carry is None else (
            _owner(outcome, carrier_offer) if carrier_offer else None)
        start, end = planned.window or (now, max(planned.window_end, now + _MINUTE))
        Task.objects.create(
            run=run, allocation=allocation, need=planned.need, offer=planned.offer,
            quantity=planned.quantity, kind=planned.kind, km=planned.km,
            state=TaskState.PROPOSED if carrier else TaskState.OPEN,
            carrier_id=carrier, carrier_offer_id=carrier_offer, hours=hours,
            window_start=start, window_end=end, timed=planned.window is not None)
        commit(planned.offer.pk, planned.quantity)
        if carrier_offer:
            commit(carrier_offer, hours)
    PlanRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), progress=100, stage="done",
        summary=outcome.summary, parameters=outcome.parameters, decisions=outcome.decisions,
        left_out=outcome.snap.left_out, problem_doc=outcome.snap.problem, plan_doc=outcome.plan_doc)
    record(run.collective, "plan.done", actor=None,
           data={"run": run.pk, "tasks": len(outcome.tasks), "decisions": outcome.decisions,
                 "left_out": len(outcome.snap.left_out)})
    from sinfronteras.notify.hooks import tasks_proposed

    tasks_proposed(Task.objects.filter(run=run, state=TaskState.PROPOSED).values_list("carrier_id", flat=True))


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
