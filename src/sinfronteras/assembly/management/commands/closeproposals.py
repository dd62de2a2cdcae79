"""sinfronteras closeproposals: close every proposal whose voting window has passed.

Tallies each one, stores its decision and applies the passed ones. Idempotent:
run it as often as you like (cron, a systemd timer); a closed proposal is skipped.
"""

from django.core.management.base import BaseCommand

from sinfronteras.assembly.services import close_due


class Command(BaseCommand):
    help = "Close proposals whose voting window has passed, tally them and apply passed decisions."

    def handle(self, *args, **options):
        decisions = close_due()
        for decision in decisions:
            outcome = "passed" if decision.passed else "did not pass"
            applied = ", applied" if decision.applied_at else ""
            self.stdout.write(f"proposal #{decision.proposal_id}: decision #{decision.pk} {outcome}{applied}")
        self.stdout.write(f"Closed {len(decisions)} proposal{'s' if len(decisions) != 1 else ''}.")
