"""Plan runs: request one, carry it out in a worker, store what it decided.

The run reads and solves outside any transaction, then writes everything in one
transaction under a lock on the collective: a worker that dies mid-run leaves
the collective's data as it was, and the run is later marked failed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from sinfronteras.audit.models import record
from sinfronteras.members.models import Collective

from .jobs import execute_run, mark_stale_runs, run_plan
from .models import PlanRun, RunStatus

# ``execute_run`` and ``mark_stale_runs`` live with the worker's jobs (``jobs``), which carry
# them out; they are named here too, where callers have always found them.
__all__ = ["RunBusy", "do_request_run", "execute_run", "latest_done_run", "latest_run",
           "mark_stale_runs"]


class RunBusy(Exception):
    """A run of this collective is already queued or running."""

    def __init__(self, run):
        super().__init__(f"plan run #{run.pk} is already {run.status}")
        self.run = run


def do_request_run(collective, requested_by=None, *, enqueue=True) -> PlanRun:
    """Queue a plan run. Raises :class:`RunBusy` if one is queued or running."""
    mark_stale_runs(collective)
    try:
        with transaction.atomic():
            Collective.objects.select_for_update().get(pk=collective.pk)
            busy = PlanRun.objects.filter(collective=collective,
                                          status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
            if busy:
                raise RunBusy(busy)
            run = PlanRun.objects.create(collective=collective, requested_by=requested_by)
            record(collective, "plan.requested", actor=requested_by, data={"run": run.pk})
            if enqueue:
                transaction.on_commit(lambda: run_plan.enqueue(run.pk))
    except IntegrityError:  # the database's own guard against two active runs
        raise RunBusy(PlanRun.objects.filter(collective=collective).first()) from None
    return run


def latest_run(collective):
    return PlanRun.objects.filter(collective=collective).first()


def latest_done_run(collective):
    return PlanRun.objects.filter(collective=collective, status=RunStatus.DONE).first()


ZERO = Decimal(0)
