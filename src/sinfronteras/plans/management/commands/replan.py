"""sinfronteras replan [--collective SLUG] [--wait]: queue (or run) a plan run."""

from django.core.management.base import BaseCommand, CommandError

from sinfronteras.members.models import Collective
from sinfronteras.plans.runs import RunBusy, do_request_run, execute_run


class Command(BaseCommand):
    help = "Make the plan for a collective: queue a run for the worker, or run it here (--now)."

    def add_arguments(self, parser):
        parser.add_argument("--collective", help="Its slug; may be left out when there is one.")
        parser.add_argument("--now", action="store_true",
                            help="Run in this process instead of queueing it for the worker.")

    def handle(self, *args, collective, now, **options):
        target = self.collective(collective)
        try:
            run = do_request_run(target, enqueue=not now)
        except RunBusy as busy:
            raise CommandError(f"{busy}: wait for it to finish.", returncode=2) from None
        if not now:
            self.stdout.write(f"Queued plan run #{run.pk} for {target.name}; "
                              "`sinfronteras db_worker` carries it out.")
            return
        run = execute_run(run.pk)
        if run.status != "done":
            raise CommandError(f"plan run #{run.pk} failed: {run.error}", returncode=1)
        tiers = run.summary["plan"]["tiers"]
        self.stdout.write(f"Plan run #{run.pk} for {target.name}: done.")
        for tier, row in sorted(tiers.items()):
            self.stdout.write(f"  tier {tier}: {row['needs']} needs, {row['fully_met']} fully met, "
                              f"{row['untouched']} untouched, lowest {row['min_fraction']:.0%}")

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
