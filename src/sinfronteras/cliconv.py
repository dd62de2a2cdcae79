"""One convention for every ``sinfronteras`` command (``docs/cli.md``).

- ``-o FILE`` writes the command's main output to FILE (``-``: standard output);
  ``federation round -o DIR`` and ``plan-export -o DIR`` are the one shape that
  writes a folder (two files in it);
- ``--json`` prints JSON on standard output instead of the readable table;
- exit 0 done, 1 failed, 2 bad input with one line on stderr saying what to fix;
- ``--help`` ends with an example;
- an old spelling keeps working for one release and says so in one line on stderr.

This module is pure (no Django): the planner's commands run without it.
:mod:`sinfronteras.clicommand` gives Django's management commands the same.

Examples
--------
>>> p = parser("sinfronteras demo", "Say hello.", "sinfronteras demo --json")
>>> add_output(p)
>>> add_json(p)
>>> p.parse_args(["-o", "-", "--json"])
Namespace(output='-', json=True)
>>> error_line("sinfronteras demo", "no such file\\nsecond line")
'sinfronteras demo: error: no such file'
>>> run("sinfronteras demo", lambda argv: p.parse_args(argv) and 0, ["--colour"])
2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .oneline import Parser, UsageError

EXIT_DONE = 0  #: the command did what it was asked
EXIT_FAILED = 1  #: it could not (an internal error, a failed run)
EXIT_USAGE = 2  #: bad input: one line on stderr says what to fix

STDOUT = "-"

__all__ = ["EXIT_DONE", "EXIT_FAILED", "EXIT_USAGE", "UsageError", "Parser", "parser", "epilog",
           "add_output", "add_json", "check_output", "deprecated", "error_line", "dumps", "write", "run"]


def epilog(example: str) -> str:
    """The text ``--help`` ends with: ``example:`` and the example, indented."""
    return "example:\n" + "\n".join("  " + line for line in example.strip("\n").splitlines())


def parser(prog: str, description: str, example: str) -> Parser:
    """A one-line-error parser whose ``--help`` ends with ``example``."""
    return Parser(prog=prog, description=description, epilog=epilog(example),
                  formatter_class=argparse.RawDescriptionHelpFormatter)


def add_output(p: argparse.ArgumentParser, what: str = "the output", *, metavar: str = "FILE",
               required: bool = False, default=None) -> None:
    """``-o FILE`` / ``--output FILE``: where the main output goes (``-``: standard output)."""
    where = "into this folder" if metavar == "DIR" else f"to {metavar} ('-': standard output)"
    p.add_argument("-o", "--output", metavar=metavar, required=required, default=default,
                   help=f"write {what} {where}")


def add_json(p: argparse.ArgumentParser, what: str = "the result", **kwargs) -> None:
    """``--json``: JSON on standard output instead of the readable table."""
    if "nargs" not in kwargs:  # a plain switch; economy's reads its old --json OUT too
        kwargs.setdefault("action", "store_true")
    p.add_argument("--json", help=f"print {what} as JSON instead of the readable table", **kwargs)


def deprecated(prog: str, old: str, new: str, stream=None) -> None:
    """Say in one line on stderr that ``old`` still works for one release and what replaces it."""
    print(f"{prog}: {old} is deprecated; use {new}", file=stream or sys.stderr, flush=True)


def error_line(prog: str, message) -> str:
    """The one line a command that cannot go on prints: ``PROG: error: MESSAGE``."""
    return f"{prog}: error: {_first_line(message) or 'bad command line'}"


def _first_line(message) -> str:
    lines = str(message).strip().splitlines()
    return lines[0] if lines else ""


def dumps(value) -> str:
    """JSON as every command prints it: UTF-8 text, one line, dates as text."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)


def check_output(path: str | None) -> None:
    """Refuse, before any work, an ``-o FILE`` whose folder does not exist or is a folder itself."""
    if path in (None, STDOUT):
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"-o {path}: is a folder: give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"-o {path}: cannot write: no folder {target.parent}")


def write(path: str | None, text: str) -> None:
    """Write ``text`` to ``path`` (``-`` or None: standard output), ending it with a newline.

    Raises :class:`UsageError` naming ``-o PATH`` when the file cannot be written.
    """
    text = text if text.endswith("\n") else text + "\n"
    if path in (None, STDOUT):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"-o {path}: cannot write: {exc.strerror or exc}") from None


def run(prog: str, body: Callable[[list[str]], int | None], argv: Sequence[str],
        bad_input: tuple[type[BaseException], ...] = ()) -> int:
    """Run ``body(argv)`` under the convention's exit codes; never a traceback.

    ``UsageError`` and the exception types in ``bad_input`` are bad input (exit 2, one line);
    any other exception is a failure (exit 1, one line); ``--help`` exits 0.
    """
    try:
        return int(body(list(argv)) or 0)
    except (UsageError, *bad_input) as exc:
        print(error_line(prog, exc), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_DONE
    except BrokenPipeError:  # piped into head: what was wanted was read
        sys.stdout = None
        return EXIT_DONE
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"{prog}: internal error: {type(exc).__name__}: {_first_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
