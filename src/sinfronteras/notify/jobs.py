"""Queue notes and send them: ``do_notify`` queues one worker job per channel that wants the
note, and the worker's side sends one note on one channel, and tries again later on a failure.

(``do_notify`` and the jobs it queues live together: ``fan_out`` queues ``deliver`` through it.)
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from sinfronteras.members.models import Member

from .channels import Gone, Retry, channel_named, channels, make_note
from .events import clean_path, kind_of
from .models import preference_of

log = logging.getLogger("sinfronteras.notify")

#: How many times a note is tried on one channel before it is given up.
MAX_ATTEMPTS = 5


def backoff(attempt: int) -> timedelta:
    """Wait before try ``attempt + 1``: 1, 2, 4, 8 minutes."""
    return timedelta(minutes=2 ** attempt)


@task()
def fan_out(member_ids: list[int], kind: str, path: str | None) -> int:
    """Queue one ``deliver`` per member and channel (after preferences and quiet hours)."""
    return do_notify_each(member_ids, kind, path)


@task()
def deliver(member_id: int, kind: str, path: str, channel: str, attempt: int = 0,
            targets: list[str] | None = None) -> str:
    """Send the note; "sent", "gone", "retry", "given up" or "skipped" (what the worker keeps)."""
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
    backend = task_backends[deliver.backend]
    if attempt + 1 >= MAX_ATTEMPTS or not getattr(backend, "supports_defer", False):
        log.info("notify %s: 1 given up after %d tries", channel, attempt + 1)
        return "given up"
    deliver.using(run_after=timezone.now() + backoff(attempt)).enqueue(
        member_id, kind, path, channel, attempt + 1, targets)
    log.info("notify %s: 1 to retry", channel)
    return "retry"


def do_notify(member, kind: str, path: str | None = None, now=None) -> list[str]:
    """Queue the note for each channel the member wants; returns the channels queued.

    Nothing goes to a member who turned this kind off, who is in their quiet hours
    (nothing is held for later: the page shows it), or who is no longer active.
    """
    kind_of(kind)  # a wrong kind is a programming error: loud
    if member is None or not member.is_active:
        return []
    preference = preference_of(member)
    if not preference.wants(kind) or preference.is_quiet(now):
        return []
    queued = []
    for channel in channels():
        if channel.wants(member, kind):
            deliver.enqueue(member.pk, kind, clean_path(path, kind_of(kind)), channel.name)
            queued.append(channel.name)
    return queued


def notify_after_commit(members, kind: str, path: str | None = None) -> None:
    """``do_notify`` each of these members (or ids), in the worker, once the current
    transaction commits: a rolled-back change tells nobody, and a request that tells a
    whole area pays one queued job, not a query per member.

    The hooks in other apps call this.
    """
    kind_of(kind)
    ids = sorted({getattr(m, "pk", m) for m in members if m is not None})
    if not ids:
        return

    def queue():
        fan_out.enqueue(ids, kind, path)

    transaction.on_commit(queue)


def do_notify_each(member_ids, kind: str, path: str | None = None) -> int:
    """``do_notify`` each active member of these ids; how many got a job queued."""
    return sum(bool(do_notify(member, kind, path))
               for member in Member.objects.filter(pk__in=member_ids, is_active=True))
