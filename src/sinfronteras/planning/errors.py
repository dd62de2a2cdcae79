"""Exceptions of the planner, named by what went wrong."""

from __future__ import annotations


class PlanningError(Exception):
    """Base class of every error the planner raises on purpose."""


class ProblemError(PlanningError, ValueError):
    """A problem document is not valid.

    Parameters
    ----------
    entry : str
        Which entry is wrong, e.g. ``'needs[3] (id "n4")'`` or ``'problem'``.
    message : str
        What is wrong with it and what to fix.

    Examples
    --------
    >>> err = ProblemError('needs[0] (id "n1")', "unknown place 'x'")
    >>> str(err)
    'needs[0] (id "n1"): unknown place \\'x\\''
    >>> err.entry
    'needs[0] (id "n1")'
    """

    def __init__(self, entry: str, message: str) -> None:
        self.entry = entry
        self.message = message
        super().__init__(f"{entry}: {message}")


class SolverError(PlanningError, RuntimeError):
    """A network solver returned an unexpected status (a bug, not bad input)."""
