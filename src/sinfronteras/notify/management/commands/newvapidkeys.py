"""sinfronteras newvapidkeys: make the key pair that signs Web Push requests."""

import os
from pathlib import Path

from django.core.management.base import CommandError

from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.notify.push import new_private_key, pem_of, raw_private, raw_public


class Command(ConventionCommand):
    help = ("Print a new VAPID key pair as VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY lines, or with "
            "--file write the private key (PEM) there for VAPID_KEY_FILE. New keys end every "
            "device's subscription: members turn notifications on again.")
    example = "sinfronteras newvapidkeys --file /etc/sinfronteras/vapid.pem"

    def add_arguments(self, parser):
        parser.add_argument("--file", help="write a PEM file (readable only by its owner) instead")

    def handle(self, *args, file=None, **options):
        key = new_private_key()
        if file:
            path = Path(file)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise CommandError(f"{path} exists already: move it away first, or pick another "
                                   "path (new keys end every device's subscription).") from None
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem_of(key))
            self.stdout.write(f"VAPID_KEY_FILE={path}")
            self.stdout.write(f"VAPID_PUBLIC_KEY={raw_public(key)}")
            return
        self.stdout.write(f"VAPID_PRIVATE_KEY={raw_private(key)}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={raw_public(key)}")
