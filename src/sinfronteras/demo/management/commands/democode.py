"""sinfronteras democode USERNAME: the current second-factor code of a demo coordinator.

Only for the demo collective, whose coordinators have no phone to scan a code with.
"""

from django.core.management.base import BaseCommand, CommandError

from sinfronteras.demo.border import SLUG as ACROSS_THE_BORDER
from sinfronteras.demo.load import SLUG


class Command(BaseCommand):
    help = "Print the current two-factor code of a coordinator of a demo collective (Los Angeles or Tijuana)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="ana")

    def handle(self, *args, username, **options):
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                           user__collective__slug__in=[SLUG, ACROSS_THE_BORDER]).first()
        if device is None:
            raise CommandError(f"{username!r} is not a coordinator of a demo collective.",
                               returncode=2)
        clock = TOTP(device.bin_key, device.step, device.t0, device.digits)
        # A code works once: after one was used in this step, give the next step's.
        clock.drift = max(0, device.last_t + 1 - clock.t())
        self.stdout.write(f"{clock.token():0{device.digits}d}")
