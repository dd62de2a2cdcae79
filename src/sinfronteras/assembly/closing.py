"""Closing a proposal and carrying out its decision: the part of the assembly the worker runs.

Below ``jobs`` (whose job closes a proposal when its window ends) and ``services``
(which proposes and votes, and asks ``jobs`` to close each proposal in time). Closing
and applying are done by the system (no member's account), and both are recorded in
the audit log with the decision's number.
"""

from __future__ import annotations

import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.federation.decisions import apply_federation_change
from sinfronteras.members.models import Member, Role
from sinfronteras.members.services import (do_change_role, do_change_setting, do_mark_organisation,
                                           do_remove_member)
from sinfronteras.plans.sealing import unseal
from sinfronteras.sharing.models import Need

from . import counting
from .models import (FEDERATION_CHANGES, ROLE_CHANGES, WHOLE_SETTINGS, Ballot, Change, Decision,
                     Kind, Option, ProjectNeed, Proposal, SealedChoice, Status)


def voting_members(collective_id):
    """The members who can vote: active people, never an organisation's account."""
    return Member.objects.filter(collective_id=collective_id, is_active=True, is_organisation=False)


def active_members(collective_id) -> int:
    """How many members can vote: the quorum is a share of these."""
    return voting_members(collective_id).count()


def options_of(proposal) -> list[Option]:
    return list(proposal.options.select_related("area").order_by("position"))


def open_choice(token: bytes) -> dict:
    return json.loads(unseal(token))


def _open_secret_choices(proposal) -> None:
    """At close: open the sealed choices and write every secret ballot again, shuffled.

    The ballots written before (none since sealing began, or those of an older version)
    are shuffled with them; every row gets a new random key, so the table shows the
    whole count at once, in no order that follows the vote.
    """
    sealed = list(SealedChoice.objects.filter(proposal=proposal))
    earlier = Ballot.objects.filter(proposal=proposal, voter__isnull=True)
    choices = [open_choice(row.ciphertext) for row in sealed] + list(earlier.values_list("choice", flat=True))
    secrets.SystemRandom().shuffle(choices)
    earlier.delete()
    SealedChoice.objects.filter(proposal=proposal).delete()
    Ballot.objects.bulk_create([Ballot(proposal=proposal, voter=None, choice=c, cast_on=None)
                                for c in choices])


def tally(proposal, *, members: int | None = None) -> dict:
    """Count the ballots now (a closed proposal's stored tally is its decision's)."""
    choices = list(proposal.ballots.values_list("choice", flat=True))
    members = active_members(proposal.collective_id) if members is None else members
    return counting.count(proposal, options_of(proposal), choices, members)


@transaction.atomic
def do_close(proposal, *, now=None) -> Decision:
    """Close a proposal, store its decision, apply it if it passed. Idempotent."""
    proposal = Proposal.objects.select_for_update().select_related("collective").get(pk=proposal.pk)
    if proposal.status == Status.CLOSED:
        return proposal.decision
    if proposal.status == Status.WITHDRAWN:
        return None
    now = now or timezone.now()
    if proposal.is_secret:
        _open_secret_choices(proposal)
    result = tally(proposal)
    decision = Decision.objects.create(
        proposal=proposal, passed=result["passed"], winners=result["winners"], tally=result,
        voters=result["voters"], members=result["members"], decided_at=now)
    proposal.status = Status.CLOSED
    if proposal.closes_at > now:
        proposal.closes_at = now
    proposal.save(update_fields=["status", "closes_at"])
    record(proposal.collective, "proposal.closed", decision_ref=decision.pk,
           data={"proposal": proposal.pk, "passed": decision.passed, "voters": decision.voters,
                 "members": decision.members, "winners": decision.winners})
    if decision.passed and effect_of(proposal):
        try:
            decision = do_apply_decision(decision)
        except (ValueError, ValidationError) as exc:
            record(proposal.collective, "decision.not_applied", decision_ref=decision.pk,
                   data={"proposal": proposal.pk, "problem": str(exc)[:200]})
    return decision


def effect_of(proposal) -> str:
    """What a passed proposal does to the plan: a setting's name, ``budget``, or ``""``."""
    if proposal.change:
        return proposal.change
    return "budget" if proposal.kind == Kind.BUDGET else ""


@transaction.atomic
def do_apply_decision(decision) -> Decision:
    """Carry out a passed decision: change a planning setting, or turn chosen projects into needs.

    Idempotent: an applied decision is left as it is.
    """
    decision = Decision.objects.select_for_update(of=("self",)).select_related(
        "proposal__collective", "proposal__resource", "proposal__author", "proposal__subject").get(pk=decision.pk)
    proposal = decision.proposal
    effect = effect_of(proposal)
    if decision.applied_at or not decision.passed or not effect:
        return decision
    collective = proposal.collective
    if effect in (Change.BASIC, Change.NOT_BASIC):
        do_change_setting(collective, "basic", effect == Change.BASIC, decision_ref=decision.pk,
                          resource=proposal.resource)
    elif effect == Change.RETENTION:
        do_change_setting(collective, "retention_days", int(proposal.change_value),
                          decision_ref=decision.pk)
    elif effect == Change.QUORUM:
        do_change_setting(collective, "default_quorum", proposal.change_value / 100,
                          decision_ref=decision.pk)
    elif effect == Change.HORIZON:
        do_change_setting(collective, "horizon_days", int(proposal.change_value),
                          decision_ref=decision.pk)
    elif effect in FEDERATION_CHANGES:  # before the whole numbers: the round's hours are one
        apply_federation_change(proposal, decision.pk)
    elif effect in WHOLE_SETTINGS:
        do_change_setting(collective, effect, int(proposal.change_value), decision_ref=decision.pk)
    elif effect == Change.RADIUS:
        do_change_setting(collective, "default_radius_km", proposal.change_value,
                          decision_ref=decision.pk)
    elif effect in (Change.ORGANISATION, Change.PERSON):
        do_mark_organisation(collective, proposal.subject, effect == Change.ORGANISATION,
                             decision_ref=decision.pk)
    elif effect == Change.REMOVE:
        do_remove_member(collective, proposal.subject, decision_ref=decision.pk)
    elif effect in ROLE_CHANGES:
        role = Role.COORDINATOR if effect == Change.COORDINATOR else Role.MEMBER
        do_change_role(collective, proposal.subject, role, decision_ref=decision.pk)
    else:
        needs = _budget_needs(decision)
        record(collective, "budget.applied", decision_ref=decision.pk,
               data={"proposal": proposal.pk, "resource": proposal.resource.key,
                     "projects": decision.tally.get("ids", []), "needs": [n.pk for n in needs]})
    decision.applied_at = timezone.now()
    decision.save(update_fields=["applied_at"])
    return decision


def _budget_needs(decision) -> list[Need]:
    """Each chosen project becomes a need of the collective (:class:`ProjectNeed`).

    Never the proposer's own need: it is posted in the collective's name by its first
    active coordinator (a person who answers for it), shown on nobody's own pages,
    changed or withdrawn only by coordinators, and brought to the project's public place.
    """
    proposal = decision.proposal
    poster = Member.objects.filter(collective_id=proposal.collective_id, role=Role.COORDINATOR,
                                   is_active=True, is_organisation=False).order_by("pk").first()
    if poster is None:
        raise ValueError("Nobody can post the projects' needs: no coordinator is active.")
    chosen = set(decision.tally.get("ids", []))
    needs = []
    for option in options_of(proposal):
        if option.project_id not in chosen:
            continue
        if option.area is None:
            raise ValueError(f"Project {option.label!r} has no area.")
        need, _ = Need.objects.get_or_create(
            posted_by=poster, idempotency_key=f"decision-{decision.pk}-project-{option.project_id}",
            defaults={"collective_id": proposal.collective_id, "resource": proposal.resource,
                      "quantity": option.cost, "area": option.area, "urgent": False})
        ProjectNeed.objects.get_or_create(need=need, defaults={
            "decision": decision, "label": option.label, "place": option.place})
        needs.append(need)
    return needs


def close_if_due(proposal) -> Proposal:
    """Close lazily: a proposal viewed after its window is closed first."""
    if proposal.is_open and proposal.is_past_window:
        do_close(proposal)
        proposal.refresh_from_db()
    return proposal


def close_due(now=None) -> list[Decision]:
    """Close every proposal whose window has passed (the ``closeproposals`` command)."""
    now = now or timezone.now()
    return [do_close(p, now=now) for p in Proposal.objects.due(now).order_by("closes_at", "pk")]


def decision_of(proposal) -> Decision | None:
    return Decision.objects.filter(proposal=proposal).first()
