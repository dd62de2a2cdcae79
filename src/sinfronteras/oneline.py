"""Argument parsing for the pure commands (plan, economy, world): a bad option is one line.

Examples
--------
>>> parser = Parser(prog="demo")
>>> _ = parser.add_argument("--year", type=int, required=True)
>>> try:
...     parser.parse_args([])
... except UsageError as exc:
...     print(exc)
the following arguments are required: --year
"""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """A command line that cannot run; the message says what to fix."""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors raise :class:`UsageError` instead of printing usage."""

    def error(self, message: str):  # one line, no usage dump
        raise UsageError(message)
