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
from .ranked import instant_runoff, pairwise_counts, ranked_pairs, schulze, single_transferable_vote

__all__ = [
    "ApprovalProfile",
    "BallotFileError",
    "Budget",
    "Project",
    "RankedProfile",
    "Result",
    "Round",
    "ScoreProfile",
    "instant_runoff",
    "pairwise_counts",
    "ranked_pairs",
    "schulze",
    "single_transferable_vote",
]
