"""sinfronteras democode USERNAME: the current second-factor code of a demo coordinator.

Only for the demo collective, whose coordinators have no phone to scan a code with.
"""

import time

from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.demo.border import SLUG as ACROSS_THE_BORDER
from sinfronteras.demo.load import SLUG
from sinfronteras.members.second_factor import next_code


class Command(ConventionCommand):
    help = "Print the current two-factor code of a coordinator of a demo collective (Los Angeles or Tijuana)."
    example = """\
sinfronteras democode ana
sinfronteras democode rosa --json"""

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="ana")
        cliconv.add_output(parser, "the code")
        cliconv.add_json(parser, "the code")

    def handle(self, *args, username, output=None, json=False, **options):
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                           user__collective__slug__in=[SLUG, ACROSS_THE_BORDER]).first()
        if device is None:
            raise CommandError(f"{username!r} is not a coordinator of a demo collective.",
                               returncode=2)
        # A code works once: when every code the server accepts now is used, wait for the
        # next step rather than print one it would refuse.
        while (code := next_code(device)) is None:
            time.sleep(device.step - time.time() % device.step + 0.05)
        self.emit({"username": username, "code": code}, code, output=output, as_json=json)
