"""sinfronteras expireconversations: delete conversations past the collective's period."""

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.members.models import Collective
from sinfronteras.organizing.services import do_expire_conversations


class Command(ConventionCommand):
    help = ("Delete outreach conversations older than each collective's period (default 90 days), "
            "unless the person joined. Safe to run any number of times.")
    example = "sinfronteras expireconversations --json"

    def add_arguments(self, parser):
        cliconv.add_output(parser, "the count")
        cliconv.add_json(parser, "the count")

    def handle(self, *args, output=None, json=False, **options):
        total = sum(do_expire_conversations(c) for c in Collective.objects.order_by("pk"))
        self.emit({"conversations_deleted": total}, f"conversations deleted: {total}", output=output, as_json=json)
