"""The command convention (:mod:`sinfronteras.cliconv`) for Django management commands.

A command subclasses :class:`Command` instead of Django's ``BaseCommand``, sets
``example`` (shown at the end of ``--help``), adds ``-o``/``--json`` in
``add_arguments`` with :func:`~sinfronteras.cliconv.add_output` and
:func:`~sinfronteras.cliconv.add_json`, and shows its result with
:meth:`Command.emit`. From the command line a bad option, a ``CommandError`` or
any other exception is one line on stderr (``sinfronteras NAME: error: ...``)
with exit 2 (bad input) or 1 (failed); ``call_command`` behaves as Django's.
"""

from __future__ import annotations

import argparse
import os
import sys

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter, SystemCheckError

from .cliconv import EXIT_FAILED, EXIT_USAGE, STDOUT, dumps, epilog, error_line


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the description and the example kept as written."""


def bad_input(message: str) -> CommandError:
    """A ``CommandError`` for bad input: exit 2, one line."""
    return CommandError(message, returncode=EXIT_USAGE)


class Command(BaseCommand):
    """A management command under the convention."""

    #: The example ``--help`` ends with.
    example = ""
    prog = "sinfronteras"

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        if self.example:
            kwargs.setdefault("epilog", epilog(self.example))
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        self.prog = parser.prog
        from_command_line = bool(getattr(self, "_called_from_command_line", False))

        def one_line(message):  # instead of a usage dump
            if not from_command_line:
                raise bad_input(f"Error: {message}")
            sys.stderr.write(error_line(parser.prog, message) + "\n")
            sys.exit(EXIT_USAGE)

        parser.error = one_line
        return parser

    def execute(self, *args, **options):
        if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except SystemCheckError:
            raise
        except CommandError as exc:
            self.stderr.write(error_line(self.prog, exc))
            sys.exit(exc.returncode)
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback (--traceback shows it)
            self.stderr.write(f"{self.prog}: internal error: {type(exc).__name__}: {exc}".splitlines()[0])
            sys.exit(EXIT_FAILED)

    def emit(self, result, text: str | list[str], *, output: str | None = None, as_json: bool = False):
        """Show ``result`` (``--json``) or ``text``; to the file ``output`` when one is given."""
        body = dumps(result) if as_json else text if isinstance(text, str) else "\n".join(text)
        if output in (None, STDOUT):
            self.stdout.write(body)
            return
        try:
            with open(os.fspath(output), "w", encoding="utf-8") as handle:
                handle.write(body if body.endswith("\n") else body + "\n")
        except OSError as exc:
            raise bad_input(f"-o {output}: cannot write: {exc.strerror or exc}") from None
