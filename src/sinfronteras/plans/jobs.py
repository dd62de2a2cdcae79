"""Background jobs (django-tasks): run by `sinfronteras db_worker` or immediately."""

from django_tasks import task


@task()
def run_plan(run_id: int) -> str:
    from .runs import execute_run

    return execute_run(run_id).status


@task()
def housekeeping() -> dict:
    from .housekeeping import do_housekeeping

    return do_housekeeping()
