"""Background jobs (django-tasks): run by `sinfronteras db_worker` or immediately."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

#: How often housekeeping runs by itself while a worker runs.
HOUSEKEEPING_EVERY = timedelta(minutes=15)


@task()
def run_plan(run_id: int) -> str:
    from .runs import execute_run

    return execute_run(run_id).status


@task()
def housekeeping() -> dict:
    from .housekeeping import do_housekeeping

    done = do_housekeeping()
    schedule_housekeeping(after=HOUSEKEEPING_EVERY)
    return done


@task()
def watch_run(run_id: int) -> str:
    """A run's watch: once its worker has been silent ``PLAN_RUN_STALE_SECONDS``, the run is
    marked failed (whichever worker is alive runs this); while it runs, look again later."""
    from .models import PlanRun
    from .runs import mark_stale_runs

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
    from django.conf import settings
    from django_tasks import task_backends

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
    from django_tasks import task_backends

    backend = task_backends[housekeeping.backend]
    if not getattr(backend, "supports_defer", False):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

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
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import PlanRun, RunStatus

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
