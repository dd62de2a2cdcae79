"""The federation's errors, below every module that raises or catches them."""

from __future__ import annotations


class FederationError(ValueError):
    """Bad input to a federation command: the message says what to fix."""


class Refusal(Exception):
    """The activity is refused: ``status`` (400, 401, 403, 409) and the reason the answer gives."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason[:300]
