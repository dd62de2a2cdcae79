"""The ``sinfronteras`` command.

Pure commands (``plan``, ``tally``, ``economy``, ``world``) run without Django (``economy
--needs-from-collective`` reads the collective's needs through it). Every other sub-command is a
Django management command (``migrate``, ``runserver``, ``createcollective``,
``loaddemo``, ...), so one entry point serves the whole project. Every command follows one
convention (``-o FILE``, ``--json``, exit 0/1/2, an example under ``--help``): see
:mod:`sinfronteras.cliconv` and ``docs/cli.md``.
"""

from __future__ import annotations

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
    if argv and argv[0] in PURE_COMMANDS:
        # Each pure command imports only its own library (numpy, the planner...) when it runs.
        module_name, func_name = PURE_COMMANDS[argv[0]].split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        extra = {"collective_demands": _collective_demands} if argv[0] == "economy" else {}
        return int(func(argv[1:], **extra) or 0)

    # The database, its journal, key files and backups it creates: readable by their owner only.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinfronteras.web.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # reads the environment: a bad value stops here
    except ImproperlyConfigured as exc:
        print(f"sinfronteras: configuration error: {exc}", file=sys.stderr)
        return 2
    # The default SQLite database and seal keys live in DATA_DIR: make it, private, on first use.
    settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

    execute_from_command_line(["sinfronteras", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
