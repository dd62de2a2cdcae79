"""sinfronteras newsealkey: print a new sealing key (put it first in SEAL_KEYS)."""

from sinfronteras.clicommand import Command as ConventionCommand


class Command(ConventionCommand):
    help = "Print a new Fernet key for SEAL_KEYS or SEAL_KEY_FILE."
    example = "sinfronteras newsealkey >> /etc/sinfronteras/seal.keys"

    def handle(self, *args, **options):
        from cryptography.fernet import Fernet

        self.stdout.write(Fernet.generate_key().decode())
