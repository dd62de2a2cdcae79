"""sinfronteras democode USERNAME: the current second-factor code of a demo coordinator.

Only for the demo collective, whose coordinators have no phone to scan a code with.
"""

from django.core.management.base import BaseCommand, CommandError

from sinfronteras.demo.load import SLUG


class Command(BaseCommand):
    help = "Print the current two-factor code of a coordinator of the demo collective."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="ana")

    def handle(self, *args, username, **options):
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username, user__collective__slug=SLUG,
                                           confirmed=True).first()
        if device is None:
            raise CommandError(f"{username!r} is not a coordinator of the demo collective.",
                               returncode=2)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
