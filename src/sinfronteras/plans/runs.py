"""Plan runs: request one, carry it out in a worker, store what it decided.

The run reads and solves outside any transaction, then writes everything in one
transaction under a lock on the collective: a worker that dies mid-run leaves
the collective's data as it was, and the run is later marked failed.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.members.models import Collective
from sinfronteras.members.services import decisions_in_force

from .models import PlanRun, RunStatus

log = logging.getLogger(__name__)


class RunBusy(Exception):
    """A run of this collective is already queued or running."""

    def __init__(self, run):
        super().__init__(f"plan run #{run.pk} is already {run.status}")
        self.run = run


def mark_stale_runs(collective, now=None) -> int:
    """Fail runs whose worker has not been heard from (it died or was killed)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.PLAN_RUN_STALE_SECONDS)
    dead = PlanRun.objects.filter(
        collective=collective, status=RunStatus.RUNNING, heartbeat_at__lt=limit,
    ).update(status=RunStatus.FAILED, finished_at=now,
             error="The worker stopped during the run; nothing was changed. Run it again.")
    waited = now - timedelta(minutes=settings.PLAN_RUN_QUEUE_MINUTES)
    lost = PlanRun.objects.filter(
        collective=collective, status=RunStatus.QUEUED, created_at__lt=waited,
    ).update(status=RunStatus.FAILED, finished_at=now,
             error="No worker took the run: is `sinfronteras db_worker` running? Run it again.")
    return dead + lost


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
                from .jobs import run_plan

                transaction.on_commit(lambda: run_plan.enqueue(run.pk))
    except IntegrityError:  # the database's own guard against two active runs
        raise RunBusy(PlanRun.objects.filter(collective=collective).first()) from None
    return run


#: Times a run computes again when tasks were accepted while it computed.
COMPUTE_ATTEMPTS = 3


def _heartbeat(run_id: int, stage: str, progress: int) -> None:
    PlanRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), stage=stage,
                                             progress=min(99, max(0, progress)))


def execute_run(run_id: int) -> PlanRun:
    """Carry out a queued run (in a worker). Never raises for planning errors."""
    claimed = PlanRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(),
        stage="reading")
    run = PlanRun.objects.select_related("collective").get(pk=run_id)
    if not claimed:
        return run
    try:
        from .compute import compute
        from .housekeeping import do_housekeeping
        from .store import PlanChanged, store

        do_housekeeping()  # tasks past their window go back to the pool first
        from .jobs import schedule_housekeeping, schedule_watch

        schedule_housekeeping()  # and keep doing it while a worker runs
        schedule_watch(run_id)  # if this worker dies, another marks the run failed in time
        for attempt in range(1, COMPUTE_ATTEMPTS + 1):
            outcome = compute(run.collective, lambda stage, pct: _heartbeat(run_id, stage, pct))
            _heartbeat(run_id, "saving", 95)
            try:
                store(run, outcome)
                break
            except PlanChanged:  # tasks were accepted meanwhile: plan again on fresh data
                if attempt == COMPUTE_ATTEMPTS:
                    raise
    except Exception as exc:  # a failed run must say so, whatever went wrong
        log.exception("plan run %s failed", run_id)
        PlanRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(),
            error=(f"{type(exc).__name__}: {exc}")[:300])
    run.refresh_from_db()
    return run


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


def latest_run(collective):
    return PlanRun.objects.filter(collective=collective).first()


def latest_done_run(collective):
    return PlanRun.objects.filter(collective=collective, status=RunStatus.DONE).first()


ZERO = Decimal(0)
