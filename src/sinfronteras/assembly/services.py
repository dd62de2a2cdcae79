"""Proposing, voting, closing and applying decisions. Views and commands call these.

Each ``do_*`` function runs in one transaction: it writes everything or nothing.
Closing and applying (``closing``, below the worker's jobs) are done by the system (no
member's account), and both are recorded in the audit log with the decision's number.
"""

from __future__ import annotations

import json
import secrets

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.audit.models import record
from sinfronteras.plans.sealing import fernet
from sinfronteras.prepared import PreparedQuery

# Closing lives below the worker's jobs (``closing``); views and commands still find it here.
from .closing import (active_members, close_due, close_if_due, decision_of,  # noqa: F401
                      do_apply_decision, do_close, open_choice, options_of, tally)
from .jobs import schedule_close
from .models import Ballot, Option, Participation, ProjectNeed, Proposal, SealedChoice, Status


class VoteRefused(Exception):
    """The vote cannot be taken; ``reason`` is ``closed`` or ``already_voted``."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class WithdrawRefused(Exception):
    """Only the author withdraws or edits, only while open and before anybody voted."""


def access_proposal(member, pk) -> Proposal:
    """The one access check: members of the proposal's collective only; anyone else gets 404."""
    proposal = Proposal.objects.select_related("resource", "author").filter(pk=pk).first()
    if proposal is None or proposal.collective_id != member.collective_id:
        raise Http404("No such proposal.")
    return proposal


#: The proposals a member has voted on, compiled once (the decisions page).
_VOTED_ON = PreparedQuery(lambda member_id: Participation.objects.filter(member_id=member_id)
                          .values_list("proposal_id", flat=True), member_id="id")


def voted_on(member) -> set[int]:
    """The proposals a member has voted on."""
    return set(_VOTED_ON.rows(member_id=member.pk))


def has_voted(member, proposal) -> bool:
    return Participation.objects.filter(proposal=proposal, member=member).exists()


def own_ballot(member, proposal) -> Ballot | None:
    """The member's own ballot, when it is open (a secret one has no link to anybody)."""
    if proposal.is_secret:
        return None
    return Ballot.objects.filter(proposal=proposal, voter=member).first()


@transaction.atomic
def do_propose(member, form) -> Proposal:
    """Create a proposal and its options from a valid :class:`ProposeForm`."""
    proposal = form.save(commit=False)
    proposal.collective_id = member.collective_id
    proposal.author = member
    proposal.opens_at = timezone.now()
    proposal.save()
    _save_options(proposal, form.projects)
    record(proposal.collective, "proposal.created", actor=member,
           data={"proposal": proposal.pk, "kind": proposal.kind, "change": proposal.change})
    transaction.on_commit(lambda: schedule_close(proposal))
    return proposal


def _save_options(proposal, projects) -> None:
    proposal.options.all().delete()
    Option.objects.bulk_create([
        Option(proposal=proposal, position=k, label=p["label"], cost=p.get("cost"), area=p.get("area"),
               place=p.get("place", ""))
        for k, p in enumerate(projects)
    ])


def editable(member, proposal) -> bool:
    """The author may change an open proposal until somebody votes on it."""
    return (proposal.is_open and proposal.author_id == member.pk
            and not Participation.objects.filter(proposal=proposal).exists())


@transaction.atomic
def do_edit_proposal(member, proposal, form) -> Proposal:
    """Save the author's changes from a valid :class:`ProposeForm` bound to ``proposal``.

    Refused (``WithdrawRefused``) once somebody has voted: a vote is for what was asked.
    The proposal row is locked, so an edit and a first vote cannot cross.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not editable(member, locked):
        raise WithdrawRefused(_("Somebody has voted already, or voting has closed: the proposal "
                                "stays as it was voted on."))
    proposal = form.save()
    _save_options(proposal, form.projects)
    record(proposal.collective, "proposal.edited", actor=member, data={"proposal": proposal.pk})
    transaction.on_commit(lambda: schedule_close(proposal))
    return proposal


@transaction.atomic
def do_vote(member, proposal, choice: dict) -> Ballot | None:
    """Cast a member's one ballot. A secret ballot keeps no link to the member.

    Refused (``VoteRefused``) when voting has closed, the member already voted, or the
    account is an organisation's (only people vote); the second refusal is decided by a
    database constraint, so two racing requests cannot both vote. A secret ballot is
    sealed until the proposal closes (:class:`SealedChoice`): it returns None.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.collective_id != member.collective_id:
        raise Http404("No such proposal.")
    if member.is_organisation:
        raise VoteRefused("organisation")
    if not proposal.is_open or proposal.is_past_window:
        raise VoteRefused("closed")
    try:
        with transaction.atomic():
            Participation.objects.create(proposal=proposal, member=member)
    except IntegrityError:
        raise VoteRefused("already_voted") from None
    if proposal.is_secret:
        _reshuffle_participation(proposal)
        SealedChoice.objects.create(proposal=proposal, ciphertext=seal_choice(choice))
        return None
    return Ballot.objects.create(proposal=proposal, voter=member, choice=choice,
                                 cast_on=timezone.localdate())


def _reshuffle_participation(proposal) -> None:
    """Write the proposal's "who voted" rows again, in a random order, with new ids.

    A database hands out ids in the order rows come and stores rows in that order
    (SQLite's rowid, PostgreSQL's heap): rewritten at every vote, nothing in the table
    says who voted first or last. The caller holds the proposal's row lock.
    """
    members = list(Participation.objects.filter(proposal=proposal).values_list("member_id", flat=True))
    secrets.SystemRandom().shuffle(members)
    Participation.objects.filter(proposal=proposal).delete()
    Participation.objects.bulk_create([Participation(proposal=proposal, member_id=m) for m in members])


#: A sealed choice is padded to a whole number of these bytes: its length says nothing.
CHOICE_PAD = 2048


def seal_choice(choice: dict) -> bytes:
    """A choice sealed with the keys outside the database, padded, with no time in it."""
    text = json.dumps(choice, separators=(",", ":")).encode()
    text += b" " * (-len(text) % CHOICE_PAD)
    return fernet().encrypt_at_time(text, 0)


def project_needs(decision) -> list[ProjectNeed]:
    """The needs a passed budget made, with where each is brought."""
    return list(ProjectNeed.objects.filter(decision=decision).select_related("need__resource", "need__area")
                .order_by("pk"))


def voters_so_far(proposal) -> int:
    """How many members have voted (the one figure a secret ballot shows while open)."""
    return Participation.objects.filter(proposal=proposal).count()


@transaction.atomic
def do_withdraw(member, proposal) -> Proposal:
    """The author takes back an open proposal nobody has voted on yet; it is never counted.

    Once somebody has voted, the proposal runs its course: withdrawing it would throw
    their votes away.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != member.pk:
        raise WithdrawRefused(_("Only the member who proposed it can withdraw it."))
    if not proposal.is_open:
        raise WithdrawRefused(_("Voting on this proposal has closed."))
    if Participation.objects.filter(proposal=proposal).exists():
        raise WithdrawRefused(_("Somebody has voted already: the proposal runs until its "
                                "window closes."))
    proposal.status = Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    record(proposal.collective, "proposal.withdrawn", actor=member, data={"proposal": proposal.pk})
    return proposal


