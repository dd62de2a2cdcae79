"""Messages between the people of a task: giver, carrier, receiver.

They arrange the hand-over without phone numbers: each message shows its writer's
role, never a name or a number. Nobody else reads them, coordinators included; they
are sealed with the addresses' keys, so the database and its logs hold no words.
They go with the task, and housekeeping deletes them once the task has ended.
They are never put in a notification, a log or an audit record.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinfronteras.notify.hooks import message_posted
from sinfronteras.prepared import PreparedQuery

from .lifecycle import TaskRefused
from .models import LIVE_STATES, MESSAGE_MAX, Task, TaskMessage, TaskSeen, TaskState
from .sealing import seal

#: A task's thread is bounded too: arranging a hand-over takes a few notes.
MESSAGES_PER_TASK = 100


class MessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Message"), max_length=MESSAGE_MAX, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=gettext_lazy("Only the people of this task read it. No phone numbers or "
                               "addresses here: seal those instead."),
        error_messages={"required": gettext_lazy("Write something first."),
                        "max_length": gettext_lazy("Write at most %(limit_value)d characters; this "
                                                   "message has %(show_value)d.")})


def visible_messages(member, task) -> list[TaskMessage]:
    """The task's messages for its people; nothing for anyone else."""
    if task.role_of(member) is None:
        return []
    return list(task.messages.all())


def mark_seen(member, task) -> None:
    """One of the task's people opened its page: its messages so far are no longer new."""
    from django.utils import timezone

    TaskSeen.objects.update_or_create(task=task, member=member,
                                      defaults={"seen_at": timezone.now()})
    member._unread_task_ids = None  # read again


def unread_tasks(member):
    """Live tasks of which the member (a member or their id) is one of the people, with a
    message by someone else that is newer than the member's last look at the task's page."""
    from django.db.models import Exists, OuterRef, Q

    mine = (Q(need__posted_by=member) | Q(offer__posted_by=member)
            | (Q(carrier=member) & ~Q(state=TaskState.DECLINED)))
    newer = TaskMessage.objects.filter(task=OuterRef("pk")).exclude(author=member).exclude(
        Exists(TaskSeen.objects.filter(task=OuterRef("task"), member=member,
                                       seen_at__gte=OuterRef("created_at"))))
    return Task.objects.filter(mine, state__in=LIVE_STATES).filter(Exists(newer))


#: ``unread_tasks`` as ids, compiled once: every page's menu shows the count.
_UNREAD_IDS = PreparedQuery(lambda member_id: unread_tasks(member_id).values_list("pk", flat=True),
                            member_id="id")


def unread_task_ids(member) -> set[int]:
    """``unread_tasks`` as ids, read once a request (kept on the member object)."""
    if getattr(member, "_unread_task_ids", None) is None:
        remember_unread(member, set(_UNREAD_IDS.rows(member_id=member.pk)))
    return member._unread_task_ids


def remember_unread(member, ids: set[int]) -> None:
    """Keep ``unread_tasks``' ids, read by another query, for the rest of the request."""
    member._unread_task_ids = ids


def do_post_message(member, task, text: str) -> TaskMessage:
    role = task.role_of(member)
    if role is None:
        raise TaskRefused(_("Only the people of this task write to each other here."))
    if task.state not in LIVE_STATES:
        raise TaskRefused(_("This task has ended; its messages are closed."))
    if task.messages.count() >= MESSAGES_PER_TASK:
        raise TaskRefused(_("This task has too many messages already."))

    message = TaskMessage.objects.create(task=task, author=member, role=role,
                                         ciphertext=seal(text[:MESSAGE_MAX]))
    mark_seen(member, task)  # the writer has read the thread up to here

    message_posted(task, member)
    return message
