"""Plain data for the counting rules: profiles, results and the file error.

Every rule takes a profile and returns a :class:`Result`. Candidates and projects
are named by strings; ballots refer to them by their index in the profile, so a
profile is small, hashable and cheap to count.

Tie-break (one rule for every method): when a tie decides, the candidate that
comes **first** in ``tie_break`` wins it, and the one that comes **last** loses it
(is eliminated first). By default ``tie_break`` is the profile's own candidate
order: the order of the ``ALTERNATIVE NAME`` lines of a PrefLib file, or, for a
participatory budget, the project ids sorted as text (the Pabulib convention that
pabutools also follows). Whenever the tie-break decided, ``Result.tied`` lists
every outcome that was tied.

Examples
--------
>>> p = RankedProfile(("Ana", "Bo"), (((0,), (1,)),), (3,))
>>> p.num_voters
3
>>> tie_order(p.candidates, None, ("Bo", "Ana"))
('Bo', 'Ana')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Sequence

#: A ranked ballot: tiers from most to least preferred, each a tuple of
#: candidate indices (a tier of two or more is a tie, PrefLib's ``{a,b}``).
Ranking = tuple[tuple[int, ...], ...]


class BallotFileError(ValueError):
    """A ballot file that cannot be counted, with the line that is wrong.

    Examples
    --------
    >>> str(BallotFileError(7, "negative count -3"))
    'line 7: negative count -3'
    """

    def __init__(self, line: int, problem: str):
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")


@dataclass(frozen=True)
class RankedProfile:
    """Ranked ballots (PrefLib ``.soi``/``.toi``): each ballot with its count.

    Candidates that a ballot leaves out rank below all it ranks, tied together.
    """

    candidates: tuple[str, ...]
    ballots: tuple[Ranking, ...]
    counts: tuple[int, ...]
    meta: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def num_voters(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ApprovalProfile:
    """Approval ballots: each ballot a set of candidate indices, with its count."""

    candidates: tuple[str, ...]
    ballots: tuple[frozenset[int], ...]
    counts: tuple[int, ...]

    @property
    def num_voters(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ScoreProfile:
    """Score ballots: each ballot a tuple of ``(candidate index, points)``."""

    candidates: tuple[str, ...]
    ballots: tuple[tuple[tuple[int, Fraction], ...], ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Project:
    """A project of a participatory budget; ``cost`` in the budget's unit."""

    id: str
    cost: Fraction
    name: str = ""
    selected: bool | None = None
    extra: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Budget:
    """A participatory budget (Pabulib ``.pb``): projects, limit and approvals.

    ``approvals[v]`` is the set of project indices voter ``v`` approves;
    ``points[v]``, when the vote type gives points (``cumulative``, ``scoring``,
    ``ordinal``), pairs them with their points in the ballot's order.
    ``warnings`` say what was done with faults the file held (one line each).
    """

    projects: tuple[Project, ...]
    limit: Fraction
    approvals: tuple[frozenset[int], ...]
    voter_ids: tuple[str, ...] = ()
    points: tuple[tuple[tuple[int, Fraction], ...], ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def vote_type(self) -> str:
        """``approval``, ``choose-1``, ``ordinal``, ``cumulative`` or ``scoring``."""
        return self.meta.get("vote_type", "scoring" if self.points else "approval")

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.projects)

    @property
    def num_voters(self) -> int:
        return len(self.approvals)


@dataclass(frozen=True)
class Round:
    """One step of a count: the tallies and what the step decided."""

    number: int
    tallies: Mapping[str, Any]
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Result:
    """What a rule decided and why.

    ``winners`` in order of election; ``tied`` every tied outcome when the
    tie-break decided (empty otherwise); ``rounds`` the steps; ``details`` the
    tables a person can check (pairwise counts, strongest paths, locked edges).
    ``passed`` is set by the yes/no rules (consent, majority).
    """

    rule: str
    winners: tuple[str, ...]
    tied: tuple[tuple[str, ...], ...] = ()
    rounds: tuple[Round, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    passed: bool | None = None


def tie_order(
    candidates: Sequence[str], tie_break: Sequence[str] | None, default: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The complete tie-break order: ``tie_break`` first, then the rest in ``default``.

    Examples
    --------
    >>> tie_order(("a", "b", "c"), ["c"])
    ('c', 'a', 'b')
    """
    base = list(default if default is not None else candidates)
    given = [c for c in (tie_break or ()) if c in candidates]
    unknown = [c for c in (tie_break or ()) if c not in candidates]
    if unknown:
        raise ValueError(f"tie_break names unknown candidates: {unknown}")
    return tuple(dict.fromkeys(given + base + list(candidates)))


def tie_rank(candidates: Sequence[str], tie_break: Sequence[str] | None, default=None) -> list[int]:
    """``rank[i]``: position of candidate ``i`` in the tie-break order (0 wins ties)."""
    order = tie_order(candidates, tie_break, default)
    pos = {name: k for k, name in enumerate(order)}
    return [pos[c] for c in candidates]


def exact(x: Any) -> Any:
    """A number for JSON: an int when whole, else the exact fraction as text.

    Examples
    --------
    >>> exact(Fraction(6, 3)), exact(Fraction(1, 3))
    (2, '1/3')
    """
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else str(x)
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x
