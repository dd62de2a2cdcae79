"""sinfronteras housekeeping [--json] [-o FILE]: run every app's registered housekeeping steps once."""

from sinfronteras import cliconv, housekeeping
from sinfronteras.clicommand import Command as ConventionCommand


class Command(ConventionCommand):
    help = ("Run every app's housekeeping once: expire tasks past their window, destroy spent "
            "addresses, delete needs past retention, erase removed members, and the rest.")
    example = """\
sinfronteras housekeeping
sinfronteras housekeeping --json -o /var/log/sinfronteras/housekeeping.json"""

    def add_arguments(self, parser):
        cliconv.add_output(parser, "what was done")
        cliconv.add_json(parser, "what was done")

    def handle(self, *args, output=None, json=False, **options):
        done = housekeeping.run()
        self.emit(done, ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()),
                  output=output, as_json=json)
