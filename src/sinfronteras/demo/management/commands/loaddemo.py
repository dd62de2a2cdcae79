"""sinfronteras loaddemo: the demo collective (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sinfronteras.demo.load import PASSWORD, do_load_demo


class Command(BaseCommand):
    help = "Load the demo collective (LA neighbourhoods, real food pantries, generated people)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        data_dir = settings.SHARED_DATA_DIR
        if not (data_dir / "la" / "food_pantries_2020.json").exists():
            raise CommandError(
                f"{data_dir}/la/food_pantries_2020.json is missing: set SINFRONTERAS_DATA "
                "to the shared data folder.", returncode=2)
        result = do_load_demo(data_dir, seed=seed)
        verb = "Loaded" if result.created else "Already loaded:"
        self.stdout.write(f"{verb} {result.collective.name}: {result.members} members, "
                          f"{result.needs} needs, {result.offers} offers.")
        if result.created:
            from sinfronteras.plans.runs import do_request_run, execute_run

            run = execute_run(do_request_run(result.collective, enqueue=False).pk)
            self.stdout.write(f"Made the plan (run #{run.pk}: {run.status}).")
        self.stdout.write(f"Log in as ana (coordinator) or luz (member), password {PASSWORD}; "
                          "ana's second factor: `sinfronteras democode ana`.")
