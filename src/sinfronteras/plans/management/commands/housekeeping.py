"""sinfronteras housekeeping: run every app's registered housekeeping steps once."""

from django.core.management.base import BaseCommand

from sinfronteras import housekeeping


class Command(BaseCommand):
    help = ("Run every app's housekeeping once: expire tasks past their window, destroy spent "
            "addresses, delete needs past retention, erase removed members, and the rest.")

    def handle(self, *args, **options):
        done = housekeeping.run()
        self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()))
