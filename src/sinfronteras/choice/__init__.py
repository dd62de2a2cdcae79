"""Counting rules for the collective's decisions: pure functions, no Django.

Every rule has one signature, ``rule(profile, *, seats=1, tie_break=None) -> Result``
(see :mod:`sinfronteras.choice.model` for the tie-break). Ballot files are read
and written by :mod:`~sinfronteras.choice.preflib` (``.soi``/``.toi``) and
:mod:`~sinfronteras.choice.pabulib` (``.pb``).
"""

from .model import (
    ApprovalProfile,
    BallotFileError,
    Budget,
    Project,
    RankedProfile,
    Result,
    Round,
    ScoreProfile,
)
from .budget import equal_shares_add1, equal_shares_add1_comparison, greedy
from .pabulib import parse_pabulib, read_pabulib, write_pabulib
from .preflib import parse_preflib, read_preflib, write_preflib
from .ranked import instant_runoff, pairwise_counts, ranked_pairs, schulze, single_transferable_vote
from .simple import ConsentTally, approval, consent, majority, score

__all__ = [
    "ApprovalProfile",
    "BallotFileError",
    "Budget",
    "Project",
    "RankedProfile",
    "Result",
    "Round",
    "ScoreProfile",
    "ConsentTally",
    "approval",
    "consent",
    "equal_shares_add1",
    "equal_shares_add1_comparison",
    "greedy",
    "majority",
    "parse_pabulib",
    "parse_preflib",
    "read_pabulib",
    "read_preflib",
    "score",
    "write_pabulib",
    "write_preflib",
    "instant_runoff",
    "pairwise_counts",
    "ranked_pairs",
    "schulze",
    "single_transferable_vote",
]
