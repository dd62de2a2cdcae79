"""Ballot files of a closed proposal, to recount with ``sinfronteras tally``.

Ranked and approval ballots as PrefLib ``.toi``; participatory budgets as Pabulib
``.pb``. A file never names a voter, not even for an open ballot: identical
ballots are merged (PrefLib) or numbered in a canonical order (Pabulib).
"""

from __future__ import annotations

from sinfronteras.choice import RankedProfile, write_pabulib, write_preflib

from . import counting
from .models import Kind


def ballot_file(proposal, options, choices, decision) -> str:
    """The text of the proposal's ballot file (``proposal.export_format`` says which)."""
    if proposal.kind == Kind.RANKED:
        profile = counting.ranked_profile(proposal, options, choices)
        return write_preflib(profile, "toi", title=_one_line(proposal.title))
    if proposal.kind == Kind.APPROVAL:
        # One tier of approved options: tally --rule approval reads it back as approvals.
        rows = [(tuple(sorted(c["approved"])),) for c in choices]
        ballots, counts = counting._merge(rows)
        profile = RankedProfile(tuple(o.label for o in options), ballots, counts)
        return write_preflib(profile, "toi", title=_one_line(proposal.title))
    if proposal.kind == Kind.BUDGET:
        selected = set(decision.tally.get("ids", [])) if decision else None
        return write_pabulib(counting.budget_profile(proposal, options, choices, selected))
    raise ValueError(f"a {proposal.kind} proposal has no ballot file")


def tally_command(proposal) -> str:
    """The command that recounts the exported file."""
    name = f"ballots-{proposal.pk}.{proposal.export_format}"
    rule = proposal.rule or ("approval" if proposal.kind == Kind.APPROVAL else "schulze")
    seats = f" --seats {proposal.seats}" if proposal.seats != 1 else ""
    return f"sinfronteras tally {name} --rule {rule}{seats}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
