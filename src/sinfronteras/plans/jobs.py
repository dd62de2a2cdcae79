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
