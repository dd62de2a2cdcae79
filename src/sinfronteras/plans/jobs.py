"""Background jobs (django-tasks): run by `sinfronteras db_worker` or immediately.

A plan run is carried out here (:func:`execute_run`), and a run whose worker died is
marked failed here (:func:`mark_stale_runs`): the jobs and what they do sit together, below
``runs`` (which queues them) and ``housekeeping`` (which tidies after them).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sinfronteras import housekeeping as housekeeping_registry

from .compute import compute
from .models import PlanRun, RunStatus
from .store import PlanChanged, store

log = logging.getLogger(__name__)

#: How often housekeeping runs by itself while a worker runs.
HOUSEKEEPING_EVERY = timedelta(minutes=15)


@task()
def run_plan(run_id: int) -> str:
    return execute_run(run_id).status


@task()
def housekeeping() -> dict:
    done = housekeeping_registry.run()
    schedule_housekeeping(after=HOUSEKEEPING_EVERY)
    return done


@task()
def watch_run(run_id: int) -> str:
    """A run's watch: once its worker has been silent ``PLAN_RUN_STALE_SECONDS``, the run is
    marked failed (whichever worker is alive runs this); while it runs, look again later."""
    run = PlanRun.objects.filter(pk=run_id).select_related("collective").first()
    if run is None or not run.is_active:
        return "over"
    mark_stale_runs(run.collective)
    run.refresh_from_db()
    if run.is_active:
        schedule_watch(run_id)
    return run.status


def schedule_watch(run_id: int) -> bool:
    """Queue the run's watch for when it would be stale (database backend only)."""
    if not getattr(task_backends[watch_run.backend], "supports_defer", False):
        return False
    after = timedelta(seconds=settings.PLAN_RUN_STALE_SECONDS + 1)
    watch_run.using(run_after=timezone.now() + after).enqueue(run_id)
    return True


def schedule_housekeeping(after=HOUSEKEEPING_EVERY) -> bool:
    """Queue the next housekeeping unless one is already waiting (database backend).

    The chain starts with the first plan run and keeps itself going while a worker
    runs; ``sinfronteras housekeeping`` from cron does the same without a worker.
    """
    backend = task_backends[housekeeping.backend]
    if not getattr(backend, "supports_defer", False):
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                          task_path=housekeeping.module_path)
    if waiting.exists():
        return False
    housekeeping.using(run_after=timezone.now() + after).enqueue()
    return True


#: How long the worker's own record of a finished job is kept.
JOB_RESULTS_KEPT = timedelta(days=7)


def tidy_job_results(now=None) -> dict:
    """Close the worker's records of plan runs it never finished, and prune old ones.

    A worker killed mid-run leaves its job row "running" forever; once the plan run it
    carried is marked failed (stale heartbeat), the row is marked failed too. Finished
    rows go after ``JOB_RESULTS_KEPT``. (Other backends keep no rows here.)
    """
    now = now or timezone.now()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                          task_path=run_plan.module_path).values_list("pk", "args_kwargs")
    run_ids = {pk: (args.get("args") or [None])[0] for pk, args in running}
    # Failed runs only: a done run's row may still be "running" for the instant between
    # the run finishing and its worker writing the row.
    failed = set(PlanRun.objects.filter(pk__in=set(run_ids.values()), status=RunStatus.FAILED)
                 .values_list("pk", flat=True))
    closed = DBTaskResult.objects.filter(
        pk__in=[pk for pk, run_id in run_ids.items() if run_id in failed],
        status=TaskResultStatus.RUNNING,
    ).update(status=TaskResultStatus.FAILED, finished_at=now,
             exception_class_path="builtins.RuntimeError",
             traceback="The worker stopped before finishing; its plan run was marked failed.")
    pruned = DBTaskResult.objects.finished().filter(finished_at__lt=now - JOB_RESULTS_KEPT).delete()[0]
    return {"job_rows_closed": closed, "job_rows_pruned": pruned}


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
        housekeeping_registry.run()  # tasks past their window go back to the pool first
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
