"""sinfronteras plan-export [--collective SLUG] [--run N] -o DIR: a plan run's problem and plan.

Writes DIR/problem.json and DIR/plan.json (format v1) of the collective's last
finished plan run, or of run #N: its own needs and offers with the ids the API
shows, no member named. ``sinfronteras plan DIR/problem.json`` re-plans them.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinfronteras.plans.export import NoSuchRun, pick_run, plan_document, problem_document

from .replan import Command as Replan


class Command(BaseCommand):
    help = "Write a plan run's problem.json and plan.json (format v1) to a folder, to re-plan and check."

    def add_arguments(self, parser):
        parser.add_argument("--collective", help="Its slug; may be left out when there is one.")
        parser.add_argument("--run", type=int, metavar="N", help="The run's number (default: the last finished one).")
        parser.add_argument("-o", "--output", required=True, metavar="DIR", help="Folder to write the two files in.")

    def handle(self, *args, collective, run, output, **options):
        target = Replan.collective(self, collective)
        try:
            chosen = pick_run(target, run)
        except NoSuchRun as exc:
            raise CommandError(f"{exc}.", returncode=2) from None
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, doc in (("problem.json", problem_document(chosen)), ("plan.json", plan_document(chosen))):
                (folder / name).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"-o {output}: cannot write: {exc.strerror or exc}", returncode=2) from None
        self.stdout.write(f"Plan run #{chosen.pk} of {target.slug}: {folder / 'problem.json'}, {folder / 'plan.json'}")
