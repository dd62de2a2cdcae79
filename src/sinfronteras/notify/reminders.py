"""The daily reminder: a proposal a member can still vote on closes tomorrow."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from sinfronteras.assembly.models import Participation, Proposal, Status
from sinfronteras.members.models import Member

from .events import VOTE_CLOSES_TOMORROW
from .jobs import notify_after_commit
from .models import ClosingReminder


def voters_left(proposal):
    """Active members of the proposal's collective who have not voted on it yet."""
    voted = Participation.objects.filter(proposal=proposal).values("member_id")
    return Member.objects.filter(collective_id=proposal.collective_id, is_active=True,
                                 removed_at__isnull=True, is_organisation=False).exclude(pk__in=voted)


def remind_closing_proposals(now=None) -> int:
    """Tell each member who may still vote, once per proposal, the day before it closes.

    "Tomorrow" is the next local calendar day; run from housekeeping (every 15 minutes),
    a proposal is reminded of within a quarter of an hour of the day before. Returns how
    many proposals were reminded of.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    end_of_tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=2), time.min))
    due = (Proposal.objects.filter(status=Status.OPEN, opens_at__lte=now, closes_at__gt=now,
                                   closes_at__lt=end_of_tomorrow)
           .exclude(pk__in=ClosingReminder.objects.values("proposal_id")))
    count = 0
    for proposal in due:
        if timezone.localtime(proposal.closes_at).date() != today + timedelta(days=1):
            continue  # closes later today: too late for "tomorrow"
        try:
            with transaction.atomic():
                ClosingReminder.objects.create(proposal=proposal, sent_at=now)
                notify_after_commit(list(voters_left(proposal).values_list("pk", flat=True)),
                                    VOTE_CLOSES_TOMORROW, f"/decisions/{proposal.pk}/")
        except IntegrityError:
            continue  # another housekeeping run reminded of it first
        count += 1
    return count
