"""sinfronteras closeproposals: close every proposal whose voting window has passed.

Tallies each one, stores its decision and applies the passed ones. Idempotent:
run it as often as you like (cron, a systemd timer); a closed proposal is skipped.
"""

from sinfronteras import cliconv
from sinfronteras.assembly.services import close_due
from sinfronteras.clicommand import Command as ConventionCommand


class Command(ConventionCommand):
    help = "Close proposals whose voting window has passed, tally them and apply passed decisions."
    example = "sinfronteras closeproposals --json"

    def add_arguments(self, parser):
        cliconv.add_output(parser, "the decisions")
        cliconv.add_json(parser, "the decisions")

    def handle(self, *args, output=None, json=False, **options):
        decisions = close_due()
        lines = []
        for decision in decisions:
            outcome = "passed" if decision.passed else "did not pass"
            applied = ", applied" if decision.applied_at else ""
            lines.append(f"proposal #{decision.proposal_id}: decision #{decision.pk} {outcome}{applied}")
        lines.append(f"Closed {len(decisions)} proposal{'s' if len(decisions) != 1 else ''}.")
        self.emit([{"proposal": d.proposal_id, "decision": d.pk, "passed": d.passed, "applied": bool(d.applied_at)}
                   for d in decisions], lines, output=output, as_json=json)
