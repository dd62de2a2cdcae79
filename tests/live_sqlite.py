"""A real server on a SQLite FILE, for tests of concurrent writers (not the in-memory test DB).

``serve(tmp_path)`` starts this file as a subprocess: it migrates a fresh database in
``tmp_path``, seeds one collective (60 members ``m00``..``m59``, one secret majority
proposal), and serves the project's WSGI application with a threaded server on a free
loopback port, the way ``runserver`` does. The production settings apply (WAL, busy
timeout, IMMEDIATE transactions), except a lighter Argon2 cost so that dozens of
concurrent logins fit in a test machine's memory. ``Browser`` is a cookie-keeping
HTTP client that fills in the CSRF token like a browser's form would.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "correct horse battery staple"
MEMBERS = 60


class Server:
    def __init__(self, url: str, seeds: dict, database: Path):
        self.url, self.seeds, self.database = url, seeds, database

    def rows(self, sql: str, *args) -> list[tuple]:
        """Read the server's database file directly (a separate connection)."""
        with sqlite3.connect(self.database, timeout=30) as db:
            return db.execute(sql, args).fetchall()


@contextmanager
def serve(tmp_path: Path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "WRITES_PER_MINUTE": "10000",
           "DJANGO_SETTINGS_MODULE": "sinfronteras.web.settings", "TASKS_BACKEND": "database",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, __file__], env=env, stdout=subprocess.PIPE,
                               text=True)
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the test server did not start")
        seeds = json.loads(line)
        yield Server(f"http://127.0.0.1:{seeds['port']}", seeds, tmp_path / "sinfronteras.sqlite3")
    finally:
        process.terminate()
        process.wait(30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: cookies, CSRF tokens, no JavaScript, redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.token = ""

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        status, page = self._open(urllib.request.Request(self.base + path))
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found:
            self.token = found.group(1)
        return status, page

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}, doseq=True)
        return self._open(urllib.request.Request(self.base + path, data=body.encode(),
                                                 headers={"Referer": self.base + path}))

    def log_in(self, username: str, password: str = PASSWORD) -> tuple[int, str]:
        self.get("/login/")
        return self.post("/login/", {"username": username, "password": password})


def _light_hasher():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    class LightArgon2(Argon2PasswordHasher):
        memory_cost = 4096  # KiB; the production default is 100 MiB a hash
    return LightArgon2


def _main() -> None:  # the server process
    import django

    django.setup()
    from django.conf import settings

    import live_sqlite

    live_sqlite.LightArgon2 = _light_hasher()
    settings.PASSWORD_HASHERS = ["live_sqlite.LightArgon2"]
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler, get_internal_wsgi_application
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from sinfronteras.assembly.models import Proposal
    from sinfronteras.members.models import Area, Collective, Member
    from sinfronteras.sharing.models import Resource

    collective = Collective.objects.create(name="LA Unidos", slug="la-unidos")
    area = Area.objects.create(collective=collective, name="Boyle Heights", lat=34.03, lon=-118.21)
    food = Resource.objects.create(collective=collective, key="food", name_en="Food",
                                   name_es="Comida", unit="kg", basic=True)
    hashed = make_password(PASSWORD)
    Member.objects.bulk_create([Member(username=f"m{i:02d}", display_name=f"m{i:02d}",
                                       collective=collective, area=area, password=hashed)
                                for i in range(MEMBERS)])
    proposal = Proposal.objects.create(
        collective=collective, author=Member.objects.get(username="m00"), title="Open on Sundays?",
        kind="majority", ballot_mode="secret", closes_at=timezone.now() + timedelta(days=2))

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 256  # dozens of clients connect at once

    server = Server(("127.0.0.1", 0), Quiet)
    server.set_app(get_internal_wsgi_application())
    print(json.dumps({"port": server.server_address[1], "proposal": proposal.pk, "area": area.pk,
                      "food": food.pk}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    _main()
