"""The pure commands' argument parser: a bad command line is one line, never a usage dump."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

import sinfronteras.oneline as oneline


def test_the_parsers_docstring_example_runs():
    assert doctest.testmod(oneline).failed == 0


@pytest.mark.parametrize("argv", [["plan"], ["economy"], ["world"]])
def test_each_pure_command_says_what_is_missing_in_one_line(argv):
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", *argv], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "required" in lines[0] and lines[0].startswith(f"sinfronteras {argv[0]}:")
