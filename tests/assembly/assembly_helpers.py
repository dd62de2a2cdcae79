"""Shared steps of the assembly tests: propose through the real form, vote, end a window."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sinfronteras.assembly.forms import ProposeForm
from sinfronteras.assembly.models import Proposal
from sinfronteras.assembly.services import do_propose, do_vote


def proposal_data(**changes) -> dict:
    closes = timezone.localtime() + timedelta(days=3)
    data = {"title": "Which day is the food drive?", "body": "", "kind": "ranked", "rule": "",
            "seats": "1", "options": "", "resource": "", "budget": "", "change": "",
            "change_value": "", "quorum": "50", "ballot_mode": "secret", "hide_results": "on",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M")}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def propose_url(data: dict) -> str:
    """The page of the kind's own form the data belongs to."""
    change = data.get("change") or ""
    slug = "role" if change in ("coordinator", "member", "remove") else "setting" if change else data["kind"]
    return reverse("assembly:propose_kind", args=[slug])


def propose(member, **changes) -> Proposal:
    form = ProposeForm(proposal_data(**changes), member=member)
    assert form.is_valid(), form.errors
    return do_propose(member, form)


def end_window(proposal) -> Proposal:
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(opens_at=now - timedelta(days=2),
                                                   closes_at=now - timedelta(minutes=1))
    proposal.refresh_from_db()
    return proposal


def sealed_choices(proposal=None) -> list[dict]:
    """The secret choices waiting for the close, opened with the seal key (as closing does)."""
    from sinfronteras.assembly.models import SealedChoice
    from sinfronteras.assembly.services import open_choice

    rows = SealedChoice.objects.all() if proposal is None else SealedChoice.objects.filter(proposal=proposal)
    return [open_choice(row.ciphertext) for row in rows]


def rank(*positions):
    return {"ranking": [[p] for p in positions]}


def vote_all(proposal, ballots):
    """ballots: [(member, choice)]."""
    for member, choice in ballots:
        do_vote(member, proposal, choice)
