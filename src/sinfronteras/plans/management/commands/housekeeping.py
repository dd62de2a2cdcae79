"""sinfronteras housekeeping: expire tasks, destroy addresses, delete old needs."""

from django.core.management.base import BaseCommand

from sinfronteras.plans.housekeeping import do_housekeeping


class Command(BaseCommand):
    help = "Expire tasks past their window, destroy spent addresses, delete needs past retention."

    def handle(self, *args, **options):
        done = do_housekeeping()
        self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()))
