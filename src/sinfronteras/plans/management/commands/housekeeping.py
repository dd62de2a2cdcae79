"""sinfronteras housekeeping [--json] [-o FILE]: expire tasks, destroy addresses, delete old needs."""

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.plans.housekeeping import do_housekeeping


class Command(ConventionCommand):
    help = "Expire tasks past their window, destroy spent addresses, delete needs past retention."
    example = """\
sinfronteras housekeeping
sinfronteras housekeeping --json -o /var/log/sinfronteras/housekeeping.json"""

    def add_arguments(self, parser):
        cliconv.add_output(parser, "what was done")
        cliconv.add_json(parser, "what was done")

    def handle(self, *args, output=None, json=False, **options):
        done = do_housekeeping()
        self.emit(done, ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()),
                  output=output, as_json=json)
