"""sinfronteras backup -o FILE: an encrypted backup (age) of the database, without the seal keys."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.web.backup import BackupError, Key, do_backup, read_secret_file


def passphrase(path: str | None) -> str:
    if path:
        return read_secret_file(path, "passphrase")
    if settings.BACKUP_PASSPHRASE_FILE:
        return read_secret_file(settings.BACKUP_PASSPHRASE_FILE, "passphrase")
    return settings.BACKUP_PASSPHRASE


class Command(ConventionCommand):
    help = ("Write an encrypted backup of the whole database (age format) to FILE. "
            "Encrypts to --recipient / BACKUP_RECIPIENTS (age public keys), else to the "
            "passphrase in --passphrase-file / BACKUP_PASSPHRASE_FILE / BACKUP_PASSPHRASE. "
            "The seal keys are not in it: keep them apart.")
    example = """\
sinfronteras backup -o sinfronteras-$(date +%F).age --recipient age1...
sinfronteras restore sinfronteras-2026-12-06.age --identity key.txt"""

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the backup file to write")
        parser.add_argument("--recipient", action="append", default=[],
                            help="an age public key (age1...); may be given several times")
        parser.add_argument("--passphrase-file", help="a file holding the passphrase")
        cliconv.add_json(parser, "what was written")

    def handle(self, *args, output, recipient, passphrase_file, json=False, **options):
        if output == cliconv.STDOUT:
            raise CommandError("-o -: a backup is binary: give it a file name", returncode=2)
        try:
            recipients = tuple(recipient or settings.BACKUP_RECIPIENTS)
            key = Key(recipients=recipients,
                      passphrase="" if recipients else passphrase(passphrase_file))
            rows = do_backup(output, key)
        except BackupError as problem:
            raise CommandError(str(problem), returncode=2) from None
        self.emit({"file": output, "rows": rows, "recipients": len(key.recipients)},
                  f"Wrote {output}: {rows} rows, encrypted "
                  f"{'to ' + str(len(key.recipients)) + ' key(s)' if key.recipients else 'with a passphrase'}.",
                  as_json=json)
