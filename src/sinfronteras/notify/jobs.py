"""The worker's side: send one note on one channel, and try again later on a failure."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

log = logging.getLogger("sinfronteras.notify")

#: How many times a note is tried on one channel before it is given up.
MAX_ATTEMPTS = 5


def backoff(attempt: int) -> timedelta:
    """Wait before try ``attempt + 1``: 1, 2, 4, 8 minutes."""
    return timedelta(minutes=2 ** attempt)


@task()
def fan_out(member_ids: list[int], kind: str, path: str | None) -> int:
    """Queue one ``deliver`` per member and channel (after preferences and quiet hours)."""
    from .channels import do_notify_each

    return do_notify_each(member_ids, kind, path)


@task()
def deliver(member_id: int, kind: str, path: str, channel: str, attempt: int = 0,
            targets: list[str] | None = None) -> str:
    """Send the note; "sent", "gone", "retry", "given up" or "skipped" (what the worker keeps)."""
    from sinfronteras.members.models import Member

    from .channels import Gone, Retry, channel_named, make_note

    member = Member.objects.filter(pk=member_id, is_active=True).first()
    found = channel_named(channel)
    if member is None or found is None:
        return "skipped"
    note = make_note(member, kind, path, attempt=attempt, targets=targets)
    try:
        found.send(member, note)
    except Gone:
        log.info("notify %s: 1 gone", channel)
        return "gone"
    except Retry as failure:
        return _again(member_id, kind, path, channel, attempt, failure.targets or targets)
    return "sent"


def _again(member_id, kind, path, channel, attempt, targets) -> str:
    from django_tasks import task_backends

    backend = task_backends[deliver.backend]
    if attempt + 1 >= MAX_ATTEMPTS or not getattr(backend, "supports_defer", False):
        log.info("notify %s: 1 given up after %d tries", channel, attempt + 1)
        return "given up"
    deliver.using(run_after=timezone.now() + backoff(attempt)).enqueue(
        member_id, kind, path, channel, attempt + 1, targets)
    log.info("notify %s: 1 to retry", channel)
    return "retry"
