"""What people do with tasks: accept, decline, take an open one, mark done.

Every change is one conditional UPDATE (or a row lock) so that concurrent clicks
cannot give a task two carriers or a carrier more hours than they declared.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.notify.hooks import task_accepted
from sinfronteras.prepared import PreparedQuery
from sinfronteras.sharing.models import NeedStatus, Offer

from .addresses import destroy_used_pickup
from .alerts import alerted_area_ids, touches
from .carriers import km_between, reach_km, spans_of
from .handover import moment_text
from .models import LIVE_STATES, PlanRun, SealedAddress, Task, TaskKind, TaskState
from .store import commit, retire
from .windows import first_window


class TaskRefused(Exception):
    """The task cannot change that way now; the message says why, for people."""


def access_task(member, pk) -> Task:
    """The one access check for tasks: its carrier, its giver, its receiver (the person in
    need), or a coordinator. Only the first three read the task's messages."""
    task = (Task.objects.select_related("need__resource", "need__area", "offer__area",
                                        "carrier", "need__posted_by")
            .filter(pk=pk, need__collective_id=member.collective_id).first())
    if task is None:
        raise Http404("No such task.")
    if member.is_coordinator or member.pk in (task.carrier_id, task.offer.posted_by_id,
                                              task.need.posted_by_id):
        return task
    if task.state == TaskState.OPEN and eligible_carrier_offer(member, task):
        return task
    raise Http404("No such task.")


def _refuse_during_an_alert(task: Task) -> None:
    if touches(task, alerted_area_ids(task.need.collective_id)):
        raise TaskRefused(_("Deliveries there are paused by an alert. Wait until it is lifted."))


def do_accept(member, task: Task) -> Task:
    _refuse_during_an_alert(task)
    now = timezone.now()
    changed = Task.objects.filter(pk=task.pk, state=TaskState.PROPOSED, carrier=member,
                                  window_end__gt=now).update(state=TaskState.ACCEPTED, accepted_at=now)
    if not changed:
        raise TaskRefused(_("This task is no longer waiting for you."))
    task.refresh_from_db()

    task_accepted(task)
    return task


def do_decline(member, task: Task) -> Task:
    """Give the task back: it returns to the pool and is planned again."""
    mine = Task.objects.filter(pk=task.pk, carrier=member,
                               state__in=[TaskState.PROPOSED, TaskState.ACCEPTED])
    if not retire(mine, TaskState.DECLINED):
        raise TaskRefused(_("This task is not yours to decline."))
    task.refresh_from_db()
    return task


#: A member's active offers of carrying, compiled once (*My tasks*).
_CARRYING = PreparedQuery(lambda member_id: Offer.objects.active().filter(
    posted_by=member_id, resources__carries=True).select_related("area")
    .prefetch_related("slots").distinct(), member_id="id")


#: Whether a member has an active offer, compiled once (*My tasks*).
_GIVES = PreparedQuery(lambda member_id: Offer.objects.active().filter(posted_by_id=member_id)
                       .values_list("pk", flat=True)[:1], member_id="id")


def gives_anything(member) -> bool:
    """Whether the member has an active offer of anything."""
    return bool(_GIVES.rows(member_id=member.pk))


def carrying_offers(member) -> list[Offer]:
    return _CARRYING.objects(member_id=member.pk)


def eligible_carrier_offer(member, task: Task, offers=None):
    """The member's carrying offer that reaches both ends with hours left, if any."""
    for offer in carrying_offers(member) if offers is None else offers:
        reach = reach_km(offer, member.collective.default_radius_km)
        if (offer.available >= task.hours and km_between(offer.area, task.offer.area) <= reach
                and km_between(offer.area, task.need.area) <= reach and _free_then(offer, task)):
            return offer
    return None


def _free_then(offer, task) -> bool:
    """A carrier who said their days and hours takes a timed task only within them."""
    spans = spans_of(offer)
    if not spans or not task.timed:
        return True
    return bool(first_window([spans], task.window_start, task.window_end,
                             float(task.hours) * 60, timezone.get_current_timezone()))


def do_take(member, task: Task) -> Task:
    """Take an open carry task: the carrier's hours are checked under the database's guard."""
    _refuse_during_an_alert(task)
    carrier_offer = eligible_carrier_offer(member, task)
    if carrier_offer is None:
        raise TaskRefused(_("You have no carrying offer with enough hours that reaches both ends."))
    now = timezone.now()
    try:
        with transaction.atomic():
            changed = Task.objects.filter(
                pk=task.pk, state=TaskState.OPEN, carrier__isnull=True, window_end__gt=now,
            ).update(state=TaskState.ACCEPTED, carrier=member, carrier_offer=carrier_offer,
                     accepted_at=now)
            if not changed:
                raise TaskRefused(_("Someone else took this task first."))
            commit(carrier_offer.pk, task.hours)  # refused by the database beyond the hours
    except IntegrityError:
        raise TaskRefused(_("That would go beyond the hours you offered.")) from None
    task.refresh_from_db()

    task_accepted(task)
    return task


def too_early(task: Task, now=None) -> bool:
    """Before its window a task cannot be done: nobody has seen either place yet."""
    return (now or timezone.now()) < task.window_start


def done_from_text(task: Task) -> str:
    """When "Mark done" can be pressed, in the reader's language."""
    return _("You can mark it done from %(when)s, once you have handed it over.") % {
        "when": moment_text(task.window_start)}


def do_done(member, task: Task) -> Task:
    now = timezone.now()
    changed = Task.objects.filter(pk=task.pk, state=TaskState.ACCEPTED, carrier=member,
                                  window_start__lte=now).update(state=TaskState.DONE, done_at=now)
    if not changed:
        task.refresh_from_db()
        mine = task.state == TaskState.ACCEPTED and task.carrier_id == member.pk
        if mine and too_early(task, now):
            raise TaskRefused(_("Not yet: the delivery's window has not started.") + " "
                              + done_from_text(task))
        raise TaskRefused(_("Only the carrier of an accepted task can mark it done."))
    task.refresh_from_db()
    _settle_need(task.need)

    destroy_used_pickup(task.offer_id)
    return task


def _settle_need(need) -> None:
    """The delivery happened: destroy the sealed address; a covered need is fulfilled."""
    SealedAddress.objects.filter(need_id=need.pk).delete()
    done = sum(t.quantity for t in need.tasks.filter(state=TaskState.DONE))
    if done >= need.quantity and need.status == NeedStatus.OPEN:
        type(need).objects.filter(pk=need.pk).update(status=NeedStatus.FULFILLED,
                                                     fulfilled_at=timezone.now())


def my_tasks(member):
    """Tasks the member (or their id) carries or gives, live first: a giver sees the carries of what
    they give too (someone comes to pick it up), while they may still happen or once done."""
    gives = Q(offer__posted_by=member) & (Q(kind=TaskKind.HANDOVER) | Q(
        state__in=[*LIVE_STATES, TaskState.DONE]))
    return (Task.objects.filter(Q(carrier=member) | gives)
            .exclude(state=TaskState.SUPERSEDED)
            .select_related("need__resource", "need__area", "offer__area", "run",
                            "need__collective")
            # the run's documents are the whole plan: a task needs only when it was planned
            .defer(*(f"run__{name}" for name in PlanRun.DOCUMENTS)).distinct())


#: *My tasks*' first hundred, compiled once (the page every carrier opens).
_MY_TASKS = PreparedQuery(lambda member_id: my_tasks(member_id)[:100], member_id="id")


def my_tasks_shown(member) -> list:
    """The first hundred of ``my_tasks``: what *My tasks* lists."""
    return _MY_TASKS.objects(member_id=member.pk)


def proposed_to(member_id):
    """Tasks proposed to a member, waiting for their yes or no."""
    return Task.objects.filter(carrier_id=member_id, state=TaskState.PROPOSED)


#: ``proposed_to`` as ids, compiled once.
_PROPOSED_TO = PreparedQuery(lambda member_id: proposed_to(member_id).values_list("pk", flat=True),
                             member_id="id")


def waiting_for(member) -> int:
    """How many tasks proposed to the member wait for their yes or no."""
    return len(_PROPOSED_TO.rows(member_id=member.pk))


#: Open tasks of a collective whose window has not ended, compiled once (*My tasks*).
_OPEN_TASKS = PreparedQuery(lambda collective_id, now: Task.objects.filter(
    need__collective_id=collective_id, state=TaskState.OPEN, window_end__gt=now)
    .select_related("need__resource", "need__area", "offer__area"),
    collective_id="id", now="datetime")


def open_tasks_for(member):
    """Open carry tasks this member could take (none without a carrying offer)."""
    offers = carrying_offers(member)  # read once, not once a task
    if not offers:
        return []
    tasks = _OPEN_TASKS.objects(collective_id=member.collective_id, now=timezone.now())
    return [t for t in tasks if eligible_carrier_offer(member, t, offers)]


def do_share_names(member, need=None, task=None) -> int:
    """Agree to share display names: the person in need (for a need) or the giver (a task).

    Names show only where both sides agreed. Returns how many tasks changed.
    """
    if need is not None:
        if need.posted_by_id != member.pk:
            raise TaskRefused(_("Only the person in need can agree for this need."))
        return Task.objects.filter(need=need).exclude(state=TaskState.SUPERSEDED).update(
            receiver_shares_name=True)
    if task is None or task.offer.posted_by_id != member.pk:
        raise TaskRefused(_("Only the giver can agree for this task."))
    return Task.objects.filter(pk=task.pk).update(giver_shares_name=True)
