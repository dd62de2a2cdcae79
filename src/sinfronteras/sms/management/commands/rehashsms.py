"""sinfronteras rehashsms: recompute every member's keyed number hash with the current key.

Change SMS_HASH_KEY (or its file), then run this: each sealed number is opened with the
seal keys and hashed again, so inbound SMS keep finding their members.
"""

from django.core.management.base import CommandError
from django.db import transaction

from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.plans.sealing import Unreadable, unseal
from sinfronteras.sms.models import SmsClaim, SmsNumber
from sinfronteras.sms.numbers import sender_hash


class Command(ConventionCommand):
    help = "Hash every member's SMS number again with the current SMS_HASH_KEY."
    example = "sinfronteras rehashsms"

    def handle(self, *args, **options):
        with transaction.atomic():
            rows = list(SmsNumber.objects.select_for_update())
            for row in rows:
                try:
                    number = unseal(row.ciphertext)
                except Unreadable:
                    raise CommandError(f"{row}: no configured seal key opens it.", returncode=2) from None
                row.sender_hash = sender_hash(number)
            # Two passes, so that no new hash meets an old one under the unique constraint.
            for row in rows:
                SmsNumber.objects.filter(pk=row.pk).update(sender_hash=f"~{row.pk}")
            for row in rows:
                SmsNumber.objects.filter(pk=row.pk).update(sender_hash=row.sender_hash)
            # A number still waiting for its code was hashed with the old key (and its code
            # too): the member asks for a new code.
            SmsClaim.objects.all().delete()
        self.stdout.write(f"Hashed {len(rows)} SMS numbers again with the current key.")
