"""sinfronteras newsealkey: print a new sealing key (put it first in SEAL_KEYS)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new Fernet key for SEAL_KEYS or SEAL_KEY_FILE."

    def handle(self, *args, **options):
        from cryptography.fernet import Fernet

        self.stdout.write(Fernet.generate_key().decode())
