"""sinfronteras loaddemo: the demo collective (idempotent)."""

from django.core.management.base import CommandError

from sinfronteras import data
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.demo.border import do_load_across_border
from sinfronteras.demo.load import PASSWORD, do_load_demo
from sinfronteras.notify.push import public_key
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.prepared import refresh_statistics


class Command(ConventionCommand):
    help = "Load the demo collective (LA neighbourhoods, real food pantries, generated people)."
    example = """\
sinfronteras migrate && sinfronteras loaddemo --across-border
sinfronteras democode ana"""

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--across-border", action="store_true",
                            help="Also load Tijuana Sin Fronteras, federated with Los Angeles, and "
                                 "plan one round of the two together.")

    def handle(self, *args, seed, across_border=False, **options):
        try:
            data.path("la", "food_pantries_2020.json")
        except data.DataMissing as missing:
            raise CommandError(str(missing), returncode=2) from None
        result = do_load_demo(seed=seed)
        verb = "Loaded" if result.created else "Already loaded:"
        self.stdout.write(f"{verb} {result.collective.name}: {result.members} members, "
                          f"{result.needs} needs, {result.offers} offers.")
        if result.created:
            run = execute_run(do_request_run(result.collective, enqueue=False).pk)
            self.stdout.write(f"Made the plan (run #{run.pk}: {run.status}).")
        if across_border:
            self._across_border(seed)
        refresh_statistics()
        if public_key():  # made on first use on a laptop (var/vapid.pem)
            self.stdout.write("Push notifications are on: turn them on for a browser on the "
                              "account page (the worker sends them).")
        self.stdout.write(f"Log in as ana (coordinator) or luz (member), password {PASSWORD}; "
                          "ana's second factor: `sinfronteras democode ana`.")

    def _across_border(self, seed):
        border = do_load_across_border(seed=seed)
        verb = "Loaded" if border.created else "Already loaded:"
        self.stdout.write(f"{verb} {border.collective.name}: {border.members} members, "
                          f"{border.needs} needs, {border.offers} offers.")
        if border.round is not None:
            states = ", ".join(f"{m['collective']}: {m['state']}" for m in border.round["members"])
            self.stdout.write(f"Federated with Los Angeles; one round planned both ({states}).")
        self.stdout.write("Tijuana's coordinator is rosa (`sinfronteras democode rosa`).")
