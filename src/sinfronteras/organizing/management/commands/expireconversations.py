"""sinfronteras expireconversations: delete conversations past the collective's period."""

from django.core.management.base import BaseCommand

from sinfronteras.members.models import Collective
from sinfronteras.organizing.services import do_expire_conversations


class Command(BaseCommand):
    help = ("Delete outreach conversations older than each collective's period (default 90 days), "
            "unless the person joined. Safe to run any number of times.")

    def handle(self, *args, **options):
        total = sum(do_expire_conversations(c) for c in Collective.objects.order_by("pk"))
        self.stdout.write(f"conversations deleted: {total}")
