"""Housekeeping: expire tasks past their window, renew weekly offers, destroy
addresses, delete old needs, erase removed members, tidy the worker's job records.

Run by ``sinfronteras housekeeping`` (from cron, e.g. every 15 minutes) and
after every plan run. Safe to run any number of times.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from sinfronteras.members.models import Collective
from sinfronteras.sharing.models import Need, NeedStatus, Offer

from .models import LIVE_STATES as LIVE
from .models import SealedAddress, SealedPickup, Task, TaskKind, TaskMessage, TaskState
from .store import milli, retire



def do_housekeeping(now=None) -> dict:
    now = now or timezone.now()
    from .runs import mark_stale_runs

    stale = sum(mark_stale_runs(collective, now) for collective in Collective.objects.all())
    expired = _expire_tasks(now)
    given_back = _give_back_after_alerts(now)
    no_pickup = return_carries_without_pickup(now)
    renewed = renew_weekly_offers(now)
    destroyed = _destroy_addresses(now) + _destroy_pickups(now)
    messages = _delete_messages_of_ended_tasks()
    deleted = _delete_old_needs(now)
    from sinfronteras.members.services import do_erase_removed_members
    from sinfronteras.organizing.services import do_close_ended_actions

    from sinfronteras.notify.reminders import remind_closing_proposals

    from sinfronteras.federation.transfers import release_expired

    from .jobs import tidy_job_results

    return {"plan_runs_failed": stale, "tasks_expired": expired, "tasks_given_back": given_back,
            "carries_without_pickup": no_pickup, "weekly_offers_renewed": renewed,
            "addresses_destroyed": destroyed, "needs_deleted": deleted,
            "messages_deleted": messages,
            "action_needs_closed": do_close_ended_actions(now),
            "members_erased": do_erase_removed_members(now), **tidy_job_results(now),
            "closing_reminders": remind_closing_proposals(now),
            "transfers_released": release_expired(now)}


def week_start(now) -> datetime:
    """Monday 00:00 (local time) of the week ``now`` falls in."""
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), time.min))


def renew_weekly_offers(now) -> int:
    """A weekly offer starts each week afresh: what it has committed is counted again
    from its live tasks and this week's finished ones (never from memory)."""
    start = week_start(now)
    count = 0
    stale = Offer.objects.filter(weekly=True).exclude(week_of=start.date())
    for offer in stale.only("pk"):
        with transaction.atomic():
            Offer.objects.select_for_update().filter(pk=offer.pk).first()
            this_week = Q(state__in=LIVE) | Q(state=TaskState.DONE, done_at__gte=start)
            goods = Task.objects.filter(this_week, offer=offer).aggregate(q=Sum("quantity"))["q"]
            hours = Task.objects.filter(this_week, carrier_offer=offer).aggregate(h=Sum("hours"))["h"]
            total = milli(goods or Decimal(0)) + milli(hours or Decimal(0))
            Offer.objects.filter(pk=offer.pk).update(committed_milli=total, week_of=start.date())
            count += 1
    return count


def _expire_tasks(now) -> int:
    """Tasks whose window has passed return to the pool (their needs are planned again)."""
    return retire(Task.objects.filter(state__in=LIVE, window_end__lt=now), TaskState.EXPIRED)


def return_carries_without_pickup(now) -> int:
    """A carry needs a place to pick up: a public one, or the giver's sealed pickup point.
    Without one ``Collective.pickup_hours`` (decided by vote) after its plan, it goes back
    to the plan (state ``no_pickup``), and the audit log and the plan page say so."""
    from sinfronteras.audit.models import record

    returned = 0
    for collective in Collective.objects.all():
        sealed = SealedPickup.objects.filter(offer_id=OuterRef("offer_id"))
        late = Task.objects.filter(  # no outer join: the rows are locked FOR UPDATE
            ~Exists(sealed), need__collective=collective, kind=TaskKind.CARRY, state__in=LIVE,
            run__finished_at__lt=now - timedelta(hours=collective.pickup_hours),
            offer__public_place="")
        with transaction.atomic():
            count = retire(late, TaskState.NO_PICKUP)
            if count:
                record(collective, "plan.no_pickup", data={"tasks": count,
                                                           "hours": collective.pickup_hours})
        returned += count
    return returned


def _destroy_addresses(now) -> int:
    """An address lives while its need is open and no window of it has passed unused."""
    closed = SealedAddress.objects.exclude(need__status=NeedStatus.OPEN)
    lapsed = SealedAddress.objects.filter(need__tasks__state=TaskState.EXPIRED,
                                          need__tasks__window_end__lt=now).exclude(
        need__tasks__state__in=LIVE)
    ids = set(closed.values_list("pk", flat=True)) | set(lapsed.values_list("pk", flat=True))
    return SealedAddress.objects.filter(pk__in=ids).delete()[0] and len(ids)


def _destroy_pickups(now) -> int:
    """A pickup point lives while its offer is active and no window of it has passed unused."""
    ended = SealedPickup.objects.exclude(offer__status="active") | SealedPickup.objects.filter(
        offer__available_until__lt=timezone.localdate(now))
    lapsed = SealedPickup.objects.filter(offer__tasks__state=TaskState.EXPIRED,
                                         offer__tasks__window_end__lt=now).exclude(
        offer__tasks__state__in=LIVE)
    ids = set(ended.values_list("pk", flat=True)) | set(lapsed.values_list("pk", flat=True))
    return SealedPickup.objects.filter(pk__in=ids).delete()[0] and len(ids)


def _delete_messages_of_ended_tasks() -> int:
    """A task's messages last while it may still be carried out (a task an alert paused
    may: lifting the alert gives it back, messages and all), and so do the times its people
    last looked at them."""
    from .models import TaskSeen

    TaskSeen.objects.exclude(task__state__in=LIVE).exclude(task__paused_by__isnull=False).delete()
    return (TaskMessage.objects.exclude(task__state__in=LIVE)
            .exclude(task__paused_by__isnull=False).delete()[0])


def _give_back_after_alerts(now) -> int:
    """An alert that ended by itself gives back the tasks it paused, as lifting it does."""
    from .alerts import give_back
    from .models import AreaAlert

    back = 0
    for alert in AreaAlert.objects.filter(paused_tasks__isnull=False).distinct():
        if alert.lifted_at is None and alert.until > now:
            continue
        with transaction.atomic():
            back += give_back(alert, now)
            # What the plan could not give back stays dropped, with the alert as its reason.
            Task.objects.filter(paused_by=alert).update(paused_by=None)
    return back


def _delete_old_needs(now) -> int:
    """Fulfilled or withdrawn needs go after the retention the members decided."""
    deleted = 0
    for collective in Collective.objects.all():
        limit = now - timedelta(days=collective.retention_days)
        old = Need.objects.filter(collective=collective).filter(
            status=NeedStatus.FULFILLED, fulfilled_at__lt=limit) | Need.objects.filter(
            collective=collective, status=NeedStatus.WITHDRAWN, updated_at__lt=limit)
        deleted += old.delete()[1].get("sharing.Need", 0)
    return deleted
