"""The ``sinfronteras`` command.

Pure commands (``plan``, ``tally``, ``economy``, ``world``) run without Django (``economy
--needs-from-collective`` reads the collective's needs through it). Every other sub-command is a
Django management command (``migrate``, ``runserver``, ``createcollective``,
``loaddemo``, ...), so one entry point serves the whole project. Every command follows one
convention (``-o FILE``, ``--json``, exit 0/1/2, an example under ``--help``): see
:mod:`sinfronteras.cliconv` and ``docs/cli.md``.
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys

#: Sub-commands that never touch Django: name -> "module:function(argv) -> int".
PURE_COMMANDS = {
    "plan": "sinfronteras.planning.cli:main",
    "tally": "sinfronteras.choice.cli:main",
    "world": "sinfronteras.world.cli:main",
    "economy": "sinfronteras.economy.cli:main",
}


def _collective_demands(name, mapping, codes):
    """For ``economy --needs-from-collective``: the one path of that command that reads Django."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinfronteras.web.settings")
    import django  # only this path of a pure command needs Django: import it here, not for all

    django.setup()
    from sinfronteras.sharing.economy import collective_demands  # models: after django.setup()

    return collective_demands(name, mapping, codes)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["help"] and argv[1:2] and argv[1] in PURE_COMMANDS:  # `help plan` as `plan --help`
        argv = [argv[1], "--help"]
    if argv and argv[0] in PURE_COMMANDS:
        # Each pure command imports only its own library (numpy, the planner...) when it runs.
        module_name, func_name = PURE_COMMANDS[argv[0]].split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        extra = {"collective_demands": _collective_demands} if argv[0] == "economy" else {}
        return int(func(argv[1:], **extra) or 0)

    # The database, its journal, key files and backups it creates: readable by their owner only.
    # Django is imported here, not at the top: the pure commands above run without it.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinfronteras.web.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands

    try:
        settings.INSTALLED_APPS  # reads the environment: a bad value stops here
    except ImproperlyConfigured as exc:
        print(f"sinfronteras: configuration error: {exc}", file=sys.stderr)
        return 2
    # The default SQLite database and seal keys live in DATA_DIR: make it, private, on first use.
    settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand):  # an unknown command: one line, exit 2
            known = get_commands()
            if subcommand not in known:
                print(unknown_command(subcommand, [*PURE_COMMANDS, *known]), file=sys.stderr)
                sys.exit(2)
            return super().fetch_command(subcommand)

        def main_help_text(self, commands_only=False):  # Django's list, and the pure commands
            text = super().main_help_text(commands_only)
            if commands_only:
                return "\n".join(sorted([*text.splitlines(), *PURE_COMMANDS]))
            return text + "\n\n[sinfronteras, without a database]\n" + "\n".join(f"    {c}" for c in sorted(PURE_COMMANDS))

    Utility(["sinfronteras", *argv]).execute()
    return 0


def unknown_command(name: str, known: list[str]) -> str:
    """The one line for a command that does not exist, with the nearest ones.

    >>> unknown_command("plna", ["plan", "tally", "plan-export"])
    "sinfronteras: error: unknown command 'plna': did you mean plan? (`sinfronteras help` lists them all)"
    """
    near = difflib.get_close_matches(name, known, n=2)
    hint = f": did you mean {' or '.join(near)}?" if near else ""
    return f"sinfronteras: error: unknown command {name!r}{hint} (`sinfronteras help` lists them all)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
