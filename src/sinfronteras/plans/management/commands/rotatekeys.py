"""sinfronteras rotatekeys: re-seal every address, pickup point, task message, SMS
number and secret ballot waiting for its close with the newest key."""

from django.core.management.base import CommandError
from django.db import transaction

from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.assembly.models import SealedChoice
from sinfronteras.plans.models import SealedAddress, SealedPickup, TaskMessage
from sinfronteras.plans.sealing import Unreadable, reseal
from sinfronteras.sms.models import SmsClaim, SmsNumber


class Command(ConventionCommand):
    help = "Re-encrypt every sealed address with the first (newest) key; then drop old keys."
    example = "sinfronteras rotatekeys"

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            sealed_rows = [*SealedAddress.objects.select_for_update(),
                           *SealedPickup.objects.select_for_update(),
                           *TaskMessage.objects.select_for_update(),
                           *SmsNumber.objects.select_for_update(),
                           *SealedChoice.objects.select_for_update(),
                           *SmsClaim.objects.select_for_update()]  # numbers waiting for their code
            for sealed in sealed_rows:
                try:
                    sealed.ciphertext = reseal(sealed.ciphertext)
                except Unreadable:
                    raise CommandError(f"{sealed}: no configured key opens it; "
                                       "keep the old key in SEAL_KEYS until this passes.",
                                       returncode=2) from None
                sealed.save(update_fields=["ciphertext"])
                count += 1
        self.stdout.write(f"Re-sealed {count} addresses, pickup points, messages and SMS numbers with the "
                          "newest key.")
