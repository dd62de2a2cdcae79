"""Exceptions of the economy planner, named by what went wrong."""

from __future__ import annotations


class EconomyError(Exception):
    """Base class of every error the economy planner raises on purpose."""


class TableError(EconomyError, ValueError):
    """An input-output table, a demands file or a capacities file is not valid.

    Parameters
    ----------
    where : str
        Which file, row and column is wrong, e.g. ``"table.csv row CPA_B, column CPA_F"``.
    message : str
        What is wrong and what to fix.

    Examples
    --------
    >>> str(TableError("t.csv row A, column B", "'x' is not a number"))
    "t.csv row A, column B: 'x' is not a number"
    """

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class NotProductive(EconomyError, ValueError):
    """The technical coefficients have spectral radius at least 1.

    No economy can then produce its own inputs: ``(I - A)^-1`` does not exist or
    is not non-negative.
    """
