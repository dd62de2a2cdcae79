"""sinfronteras replan [--collective SLUG] [--now] [--json] [-o FILE]: queue (or run) a plan run."""

from django.core.management.base import CommandError

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.members.models import Collective
from sinfronteras.plans.runs import RunBusy, do_request_run, execute_run


class Command(ConventionCommand):
    help = "Make the plan for a collective: queue a run for the worker, or run it here (--now)."
    example = """\
sinfronteras replan --collective la-unidos --now
sinfronteras replan --collective la-unidos --now --json -o run.json"""

    def add_arguments(self, parser):
        parser.add_argument("--collective", help="Its slug; may be left out when there is one.")
        parser.add_argument("--now", action="store_true",
                            help="Run in this process instead of queueing it for the worker.")
        cliconv.add_output(parser)
        cliconv.add_json(parser)

    def handle(self, *args, collective, now, output=None, json=False, **options):
        target = self.collective(collective)
        try:
            run = do_request_run(target, enqueue=not now)
        except RunBusy as busy:
            raise CommandError(f"{busy}: wait for it to finish.", returncode=2) from None
        if not now:
            self.emit({"run": run.pk, "collective": target.slug, "status": run.status},
                      f"Queued plan run #{run.pk} for {target.name}; `sinfronteras db_worker` carries it out.",
                      output=output, as_json=json)
            return
        run = execute_run(run.pk)
        if run.status != "done":
            raise CommandError(f"plan run #{run.pk} failed: {run.error}", returncode=1)
        tiers = run.summary["plan"]["tiers"]
        lines = [f"Plan run #{run.pk} for {target.name}: done."]
        lines.extend(f"  tier {tier}: {row['needs']} needs, {row['fully_met']} fully met, "
                     f"{row['untouched']} untouched, lowest {row['min_fraction']:.0%}" for tier, row in sorted(tiers.items()))
        self.emit({"run": run.pk, "collective": target.slug, "status": run.status, "tiers": tiers}, lines,
                  output=output, as_json=json)

    def collective(self, slug):
        if slug:
            found = Collective.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"--collective {slug!r}: no such collective.", returncode=2)
            return found
        collectives = list(Collective.objects.all()[:2])
        if len(collectives) != 1:
            raise CommandError("Say which collective with --collective SLUG.", returncode=2)
        return collectives[0]
