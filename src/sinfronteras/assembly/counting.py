"""From stored ballots to the counting library's profiles, and the tally a decision keeps.

The same profile serves the results page, the stored decision and the exported
ballot file, so ``sinfronteras tally`` on the file recounts exactly what the page
shows. Options are named by their labels; budget projects by a zero-padded id
(their tie-break order is the order of the options).
"""

from __future__ import annotations

from fractions import Fraction

from sinfronteras.choice import (
    ApprovalProfile,
    Budget,
    ConsentTally,
    Project,
    RankedProfile,
    ScoreProfile,
    approval,
    consent,
    equal_shares_add1,
    greedy,
    instant_runoff,
    majority,
    ranked_pairs,
    schulze,
    score,
    single_transferable_vote,
)
from sinfronteras.choice.budget import project_votes
from sinfronteras.choice.cli import to_json

from .models import Kind, Rule

RANKED = {Rule.SCHULZE: schulze, Rule.RANKED_PAIRS: ranked_pairs, Rule.IRV: instant_runoff,
          Rule.STV: single_transferable_vote}
BUDGET = {Rule.EQUAL_SHARES: equal_shares_add1, Rule.GREEDY: greedy}


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def _merge(rows):
    """Identical ballots merged, in a canonical order: (ballots, counts)."""
    merged: dict = {}
    for row in rows:
        merged[row] = merged.get(row, 0) + 1
    keys = sorted(merged, key=repr)
    return tuple(keys), tuple(merged[k] for k in keys)


def ranked_profile(proposal, options, choices) -> RankedProfile:
    rows = [tuple(tuple(sorted(tier)) for tier in c["ranking"]) for c in choices]
    ballots, counts = _merge(rows)
    return RankedProfile(tuple(o.label for o in options), ballots, counts, {"TITLE": proposal.title})


def approval_profile(options, choices) -> ApprovalProfile:
    ballots, counts = _merge(frozenset(c["approved"]) for c in choices)
    return ApprovalProfile(tuple(o.label for o in options), ballots, counts)


def score_profile(options, choices) -> ScoreProfile:
    rows = [tuple((int(k), Fraction(int(v))) for k, v in sorted(c["scores"])) for c in choices]
    ballots, counts = _merge(rows)
    return ScoreProfile(tuple(o.label for o in options), ballots, counts)


def budget_profile(proposal, options, choices, selected=None) -> Budget:
    """The budget as Pabulib sees it; voters are numbered in a canonical order, never named."""
    projects = tuple(
        Project(o.project_id, _fraction(o.cost), o.label,
                None if selected is None else o.project_id in selected,
                {"area": o.area.name} if o.area else {})
        for o in options)
    approvals = tuple(sorted((frozenset(c["approved"]) for c in choices), key=sorted))
    resource = proposal.resource
    meta = {"description": proposal.title, "unit": resource.unit if resource else "",
            "rule": "equal-shares/add1" if proposal.rule == Rule.EQUAL_SHARES else "greedy"}
    return Budget(projects, _fraction(proposal.budget), approvals, meta=meta)


def profile_for(proposal, options, choices):
    """The profile a proposal of an option kind is counted on."""
    if proposal.kind == Kind.RANKED:
        return ranked_profile(proposal, options, choices)
    if proposal.kind == Kind.APPROVAL:
        return approval_profile(options, choices)
    if proposal.kind == Kind.SCORE:
        return score_profile(options, choices)
    return budget_profile(proposal, options, choices)


def answers(choices, names) -> dict[str, int]:
    counts = {name: 0 for name in names}
    for c in choices:
        counts[c["answer"]] += 1
    return counts


def count(proposal, options, choices, members: int) -> dict:
    """Count the ballots: plain JSON with ``passed``, ``winners``, ``reasons`` and the tally.

    ``reasons`` say in codes why a proposal did not pass (rendered in the reader's
    language): ``{"code": "quorum", "voted": 3, "members": 10, "needed": "5"}``,
    ``{"code": "block", "n": 1}``, ``{"code": "not_more", "yes": 2, "no": 2}``,
    ``{"code": "no_votes"}``, ``{"code": "no_winner"}``.
    """
    voted, quorum = len(choices), _fraction(proposal.quorum)
    needed = quorum * members
    reasons = [] if voted >= needed else [
        {"code": "quorum", "voted": voted, "members": members, "needed": _plain(needed)}]
    if proposal.kind == Kind.CONSENT:
        c = answers(choices, ("agree", "abstain", "disagree", "block"))
        result = consent(ConsentTally(**c), members=members, quorum=quorum)
        if c["block"]:
            reasons.append({"code": "block", "n": c["block"]})
        if c["agree"] <= c["disagree"]:
            reasons.append({"code": "not_more", "yes": c["agree"], "no": c["disagree"]})
        tally = {"rule": "consent", "answers": c, "winners": [], "rounds": [], "details": {}}
    elif proposal.kind == Kind.MAJORITY:
        c = answers(choices, ("yes", "no", "abstain"))
        result = majority(c["yes"], c["no"], abstain=c["abstain"], members=members, quorum=quorum)
        if c["yes"] <= c["no"]:
            reasons.append({"code": "not_more", "yes": c["yes"], "no": c["no"]})
        tally = {"rule": "majority", "answers": c, "winners": [], "rounds": [], "details": {}}
    else:
        profile = profile_for(proposal, options, choices)
        result = run_rule(proposal, profile)
        tally = to_json(result, profile)
        if isinstance(profile, Budget):
            tally["project_votes"] = dict(zip(profile.candidates, project_votes(profile)))
        if not choices:
            reasons.append({"code": "no_votes"})
        elif not result.winners:
            reasons.append({"code": "no_winner"})
    passed = not reasons
    if proposal.kind in (Kind.CONSENT, Kind.MAJORITY):
        assert passed == bool(result.passed), "the library and the page must agree"
    winners = tally["winners"]
    return {**tally, "passed": passed, "winners": winners, "reasons": reasons,
            "voters": voted, "members": members, "quorum": _plain(quorum)}


def run_rule(proposal, profile):
    if proposal.kind == Kind.RANKED:
        rule = RANKED[Rule(proposal.rule or Rule.SCHULZE)]
        return rule(profile, seats=proposal.seats) if proposal.rule == Rule.STV else rule(profile)
    if proposal.kind == Kind.APPROVAL:
        return approval(profile, seats=proposal.seats)
    if proposal.kind == Kind.SCORE:
        return score(profile, seats=proposal.seats)
    return BUDGET[Rule(proposal.rule or Rule.EQUAL_SHARES)](profile)


def _plain(x: Fraction):
    return int(x) if x.denominator == 1 else str(x)
