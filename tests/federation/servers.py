"""Three real servers for the federation tests: each its own SQLite database, keys and port on
loopback, started as an operator starts one (``migrate``, then ``serve``), each behind a
recording relay so that every byte that crosses between them can be searched."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from production_server import CLI, Server, free_port, production_env, run_cli, start_server


class Relay:
    """A TCP relay on loopback that records what passes both ways (the wire, captured)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(32)
        self.port = self.listener.getsockname()[1]
        self.captured = bytearray()
        self.lock = threading.Lock()
        self.down = False
        #: Connections still let through (None: all); when none is left, ``on_exhausted`` runs
        #: (e.g. kills the server) and the relay is down.
        self.budget = None
        self.on_exhausted = None
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.budget is not None:
                if self.budget == 0 and not self.down:
                    self.down = True
                    if self.on_exhausted is not None:
                        self.on_exhausted()
                self.budget = max(0, self.budget - 1)
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                upstream.settimeout(None)  # a slow answer is relayed, however long it takes
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while chunk := source.recv(65536):
                with self.lock:
                    self.captured += chunk
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


SETUP = r"""
import json, os
from decimal import Decimal
from sinfronteras.members.models import Area, Collective, Member
from sinfronteras.sharing.models import Need, Offer, Resource
from sinfronteras.plans.addresses import do_seal_address
spec = json.loads(os.environ["SPEC"])
c = Collective.objects.create(name=spec["name"], slug=spec["slug"])
areas = {a["name"]: Area.objects.create(collective=c, name=a["name"], lat=a["lat"], lon=a["lon"])
         for a in spec["areas"]}
res = {r["key"]: Resource.objects.create(collective=c, key=r["key"], name_en=r["key"], name_es=r["key"],
                                         unit=r["unit"], basic=r["basic"], uri=r.get("uri", ""),
                                         step=r.get("step"))
       for r in spec["resources"]}
people = {m["username"]: Member.objects.create_user(m["username"], "long enough password 1",
                                                    collective=c, display_name=m["display_name"],
                                                    area=areas[m["area"]])
          for m in spec["members"]}
ids = {"needs": [], "offers": []}
for n in spec["needs"]:
    need = Need.objects.create(collective=c, posted_by=people[n["by"]], resource=res[n["resource"]],
                               quantity=Decimal(str(n["quantity"])), area=areas[n["area"]],
                               urgent=n.get("urgent", False))
    if n.get("address"):
        do_seal_address(need, n["address"])
    ids["needs"].append(need.pk)
for o in spec["offers"]:
    offer = Offer.objects.create(collective=c, posted_by=people[o["by"]], quantity=Decimal(str(o["quantity"])),
                                 area=areas[o["area"]], radius_km=o.get("radius_km"),
                                 public_place=o.get("public_place", ""))
    offer.resources.set([res[k] for k in o["resources"]])
    ids["offers"].append(offer.pk)
print(json.dumps(ids))
"""

OUTCOMES = r"""
import json
from sinfronteras.federation.models import Round
from sinfronteras.plans.models import NeedOutcome
last = Round.objects.filter(state="applied").first()
rows = NeedOutcome.objects.filter(run=last.run) if last else []
print(json.dumps({str(o.need_id): float(o.met) for o in rows}))
"""


@dataclass
class Member:
    name: str
    folder: Path
    env: dict
    relay: Relay
    server: Server | None = None
    port: int = 0
    spec: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    @property
    def database(self) -> Path:
        return self.folder / "data" / "sinfronteras.sqlite3"

    def cli(self, *args: str, expect: int = 0, timeout: int = 300) -> subprocess.CompletedProcess:
        done = subprocess.run([*CLI, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == expect, f"{self.name}: sinfronteras {' '.join(args)}: {done.stdout}{done.stderr}"
        return done

    def json(self, *args: str) -> dict:
        return json.loads(self.cli(*args, "--json").stdout)

    def shell(self, code: str, **env) -> str:
        done = subprocess.run([*CLI, "shell", "-c", code], env={**self.env, **env}, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{self.name}: shell: {done.stdout}{done.stderr}"
        return done.stdout

    def count(self, table: str) -> int:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return db.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608 - our names

    def start(self) -> None:
        self.server = start_server(self.env, self.port, self.folder / "serve.log", workers=1, threads=4)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def make_member(name: str, folder: Path, spec: dict, **extra) -> Member:
    port = free_port()
    relay = Relay(port)
    env = production_env(folder, port, DATABASE_URL="", FEDERATION_URL=f"http://127.0.0.1:{relay.port}",
                         FEDERATION_KEY_DIR=str(folder / "keys" / "federation"),
                         FEDERATION_DEADLINE_SECONDS="20", **extra)
    run_cli(env, "migrate", "--noinput")
    run_cli(env, "createcachetable")
    member = Member(name, folder, env, relay, port=port, spec=spec)
    member.ids = json.loads(member.shell(SETUP, SPEC=json.dumps(spec)).strip().splitlines()[-1])
    return member


def python() -> str:
    return sys.executable
