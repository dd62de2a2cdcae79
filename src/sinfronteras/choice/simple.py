"""Yes/no rules (consent, majority) and counting rules (approval, score).

Examples
--------
>>> consent(ConsentTally(agree=5, abstain=1, disagree=2), members=10).passed
True
>>> consent(ConsentTally(agree=9, block=1), members=10).details["reasons"]
['1 block']
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from .model import ApprovalProfile, Result, Round, ScoreProfile, exact, tie_rank

DEFAULT_QUORUM = Fraction(1, 2)


@dataclass(frozen=True)
class ConsentTally:
    """How many members answered each way."""

    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0

    @property
    def voted(self) -> int:
        return self.agree + self.abstain + self.disagree + self.block


def _quorum_reason(voted: int, members: int, quorum) -> list[str]:
    quorum = Fraction(quorum)
    if members < 0 or voted < 0 or not 0 <= quorum <= 1:
        raise ValueError("members and votes must be >= 0 and quorum a share between 0 and 1")
    if Fraction(voted) < quorum * members:
        return [f"quorum not met: {voted} of {members} voted, {exact(quorum * members)} needed"]
    return []


def consent(tally: ConsentTally, *, members: int, quorum=DEFAULT_QUORUM) -> Result:
    """Consent passes with no block, the quorum met and more agree than disagree.

    ``quorum`` is a share of ``members`` (exact: ``Fraction(1, 2)`` means half);
    every answer, abstain and block included, counts towards it.

    Examples
    --------
    >>> r = consent(ConsentTally(agree=2, disagree=2), members=4)
    >>> r.passed, r.details["reasons"]
    (False, ['agree (2) not more than disagree (2)'])
    """
    if min(tally.agree, tally.abstain, tally.disagree, tally.block) < 0:
        raise ValueError("counts must be >= 0")
    reasons = _quorum_reason(tally.voted, members, quorum)
    if tally.block:
        reasons.append(f"{tally.block} block" + ("s" if tally.block > 1 else ""))
    if tally.agree <= tally.disagree:
        reasons.append(f"agree ({tally.agree}) not more than disagree ({tally.disagree})")
    passed = not reasons
    counts = {"agree": tally.agree, "abstain": tally.abstain, "disagree": tally.disagree, "block": tally.block}
    details = {"reasons": reasons, "members": members, "quorum": exact(Fraction(quorum))}
    return Result("consent", ("pass",) if passed else (), (), (Round(1, counts),), details, passed)


def majority(yes: int, no: int, *, members: int, quorum=DEFAULT_QUORUM, abstain: int = 0) -> Result:
    """A yes/no vote passes when the quorum is met and yes outnumbers no (a tie fails).

    Examples
    --------
    >>> majority(6, 4, members=20, quorum=Fraction(1, 2)).passed
    True
    >>> majority(3, 2, members=20).details["reasons"]
    ['quorum not met: 5 of 20 voted, 10 needed']
    """
    if min(yes, no, abstain) < 0:
        raise ValueError("counts must be >= 0")
    reasons = _quorum_reason(yes + no + abstain, members, quorum)
    if yes <= no:
        reasons.append(f"yes ({yes}) not more than no ({no})")
    passed = not reasons
    details = {"reasons": reasons, "members": members, "quorum": exact(Fraction(quorum))}
    counts = {"yes": yes, "no": no, "abstain": abstain}
    return Result("majority", ("pass",) if passed else (), (), (Round(1, counts),), details, passed)


def top_scores(rule: str, names, scores, seats: int, tie_break, limit: int = 1000) -> Result:
    """The ``seats`` highest scores; ``tied`` holds every tied set at the cut.

    Examples
    --------
    >>> top_scores("approval", ("a", "b", "c"), [3, 2, 2], 2, None).tied
    (('a', 'b'), ('a', 'c'))
    """
    if seats < 1:
        raise ValueError("seats must be at least 1")
    rank = tie_rank(names, tie_break)
    order = sorted(range(len(names)), key=lambda c: (-scores[c], rank[c]))
    chosen = order[:seats]
    tied: tuple = ()
    if 0 < len(chosen) < len(order) and scores[order[len(chosen)]] == scores[chosen[-1]]:
        cut = scores[chosen[-1]]
        sure = [c for c in chosen if scores[c] > cut]
        group = [c for c in order if scores[c] == cut]
        combos = list(combinations(group, len(chosen) - len(sure)))
        if len(combos) <= limit:
            tied = tuple(tuple(names[c] for c in sure + list(combo)) for combo in combos)
    shown = {names[c]: exact(scores[c]) for c in order}
    return Result(rule, tuple(names[c] for c in chosen), tied, (Round(1, shown, tuple(names[c] for c in chosen)),))


def approval(profile: ApprovalProfile, *, seats: int = 1, tie_break=None) -> Result:
    """The ``seats`` candidates with the most approvals.

    Examples
    --------
    >>> approval(ApprovalProfile(("a", "b"), (frozenset({0, 1}), frozenset({1})), (1, 2))).winners
    ('b',)
    """
    scores = [0] * len(profile.candidates)
    for ballot, count in zip(profile.ballots, profile.counts):
        for c in ballot:
            scores[c] += count
    return top_scores("approval", profile.candidates, scores, seats, tie_break)


def score(profile: ScoreProfile, *, seats: int = 1, tie_break=None) -> Result:
    """The ``seats`` candidates with the highest total score.

    Examples
    --------
    >>> score(ScoreProfile(("a", "b"), (((0, Fraction(5)), (1, Fraction(3))), ((1, Fraction(4)),)), (1, 1))).winners
    ('b',)
    """
    scores = [Fraction(0)] * len(profile.candidates)
    for ballot, count in zip(profile.ballots, profile.counts):
        for c, points in ballot:
            scores[c] += points * count
    return top_scores("score", profile.candidates, scores, seats, tie_break)
