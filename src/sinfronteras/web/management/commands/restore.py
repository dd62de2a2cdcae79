"""sinfronteras restore FILE: check an encrypted backup and restore it into an empty database."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.web.backup import BackupError, Key, do_restore, read_secret_file

from .backup import passphrase


class Command(ConventionCommand):
    help = ("Restore a backup made by `sinfronteras backup` into this database (migrated to "
            "match it). Opens it with --identity / BACKUP_IDENTITY_FILE (age secret keys), "
            "else the passphrase. Refuses a database in use unless --force (which replaces "
            "everything in it).")
    example = "sinfronteras restore sinfronteras-2026-12-06.age --identity key.txt"

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--identity", help="a file of age secret keys (AGE-SECRET-KEY-...)")
        parser.add_argument("--passphrase-file", help="a file holding the passphrase")
        parser.add_argument("--force", action="store_true",
                            help="replace everything in a database that is in use")
        cliconv.add_json(parser, "what was restored")

    def handle(self, *args, file, identity, passphrase_file, force, json=False, **options):
        try:
            identity = identity or settings.BACKUP_IDENTITY_FILE
            identities = ()
            if identity:
                identities = tuple(line.strip() for line in
                                   read_secret_file(identity, "identity").splitlines()
                                   if line.strip().startswith("AGE-SECRET-KEY-"))
                if not identities:
                    raise BackupError(f"{identity} holds no age secret key (AGE-SECRET-KEY-...)")
            key = Key(identities=identities,
                      passphrase="" if identities else passphrase(passphrase_file))
            restored = do_restore(file, key, force=force)
        except BackupError as problem:
            raise CommandError(f"{file}: {problem}", returncode=2) from None
        self.emit({"file": file, "rows": restored.rows, "notes": list(restored.sentences())},
                  [f"Restored {file}: {restored.rows} rows.", *restored.sentences()], as_json=json)
