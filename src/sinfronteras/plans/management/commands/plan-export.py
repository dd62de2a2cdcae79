"""sinfronteras plan-export [--collective SLUG] [--run N] -o DIR [--json]: a plan run's problem and plan.

Writes DIR/problem.json and DIR/plan.json (format v1) of the collective's last
finished plan run, or of run #N: its own needs and offers with the ids the API
shows, no member named. ``sinfronteras plan DIR/problem.json`` re-plans them.
``-o DIR`` is, with ``federation round -o DIR``, the one shape that writes a
folder (``docs/cli.md``); ``--json`` prints what was written as JSON.
"""

import json
from pathlib import Path

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.clicommand import bad_input
from sinfronteras.plans.export import NoSuchRun, pick_run, plan_document, problem_document

from .replan import Command as Replan


class Command(ConventionCommand):
    help = "Write a plan run's problem.json and plan.json (format v1) to a folder, to re-plan and check."
    example = """\
sinfronteras plan-export --collective la-unidos -o run/
sinfronteras plan run/problem.json -o replanned.json"""

    def add_arguments(self, parser):
        parser.add_argument("--collective", help="Its slug; may be left out when there is one.")
        parser.add_argument("--run", type=int, metavar="N", help="The run's number (default: the last finished one).")
        cliconv.add_output(parser, "problem.json and plan.json", metavar="DIR", required=True)
        cliconv.add_json(parser, "what was written")

    def handle(self, *args, collective, run, output, json=False, **options):
        target = Replan.collective(self, collective)
        try:
            chosen = pick_run(target, run)
        except NoSuchRun as exc:
            raise bad_input(f"{exc}.") from None
        folder = Path(output)
        files = {"problem": folder / "problem.json", "plan": folder / "plan.json"}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, doc in (("problem", problem_document(chosen)), ("plan", plan_document(chosen))):
                files[name].write_text(_dumps(doc) + "\n", encoding="utf-8")
        except OSError as exc:
            raise bad_input(f"-o {output}: cannot write: {exc.strerror or exc}") from None
        self.emit({"run": chosen.pk, "collective": target.slug, **{k: str(v) for k, v in files.items()}},
                  f"Plan run #{chosen.pk} of {target.slug}: {files['problem']}, {files['plan']}", as_json=json)


def _dumps(doc) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False)
