"""sinfronteras serve: the production web server (gunicorn), after the checks that matter."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from sinfronteras.clicommand import Command as ConventionCommand


class Command(ConventionCommand):
    help = ("Serve the site with gunicorn: collect static files and run `check --deploy` "
            "first when HTTPS=1. Run `sinfronteras migrate` before, and a worker "
            "(`sinfronteras db_worker`) beside it.")
    example = "sinfronteras serve --bind 127.0.0.1:8000 --workers 2"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.WEB_BIND,
                            help="address:port to listen on (WEB_BIND; default %(default)s)")
        parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS,
                            help="worker processes (WEB_WORKERS; default %(default)s)")
        parser.add_argument("--threads", type=int, default=settings.WEB_THREADS,
                            help="threads per worker (WEB_THREADS; default %(default)s)")

    def handle(self, *args, bind, workers, threads, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.", returncode=2)
        if settings.HTTPS:
            call_command("collectstatic", interactive=False, verbosity=0)
            try:
                call_command("check", deploy=True, fail_level="WARNING")
            except Exception as problem:  # SystemCheckError: already printed by check
                raise CommandError(f"check --deploy failed: {problem}", returncode=2) from None
        if settings.CACHE_BACKEND == "database":
            call_command("createcachetable", verbosity=0)
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:sinfronteras.web.gunicorn_conf",
                "--bind", bind, "--workers", str(workers), "--threads", str(threads)]
        self.stdout.write(f"sinfronteras: serving on {bind} ({workers} workers x {threads} threads)")
        self.stdout.flush()
        os.execv(sys.executable, argv)
