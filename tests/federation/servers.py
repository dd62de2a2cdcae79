"""Three real servers for the federation tests: each its own SQLite database, keys and port,
started as an operator starts one (``migrate``, then ``serve``), each behind a recording relay so
that every byte that crosses between them can be searched.

Where the machine allows it (root, ``ip netns``, veth pairs and a bridge), each server runs in its
own network namespace with its own address (:class:`Namespaces`), and the peers speak plain HTTP
between those addresses (``FEDERATION_ALLOW_HTTP``, for test hosts); otherwise every server is on
loopback. :func:`network` says which, and why.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from production_server import CLI, Server, free_port, production_env, run_cli, start_server

#: The test bridges' subnets are 10.231.X.0/24 (X drawn per run, one not in use, so that two runs
#: at once do not meet): the bridge is .1, server k is .(10 + k), its relay .(20 + k).
SUBNETS = "10.231"


def _free_subnet() -> str:
    used = subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True, timeout=30).stdout
    for _ in range(50):
        subnet = f"{SUBNETS}.{secrets.randbelow(250) + 1}"
        if f"inet {subnet}." not in used:
            return subnet
    raise OSError(f"no free subnet under {SUBNETS}.0.0/16")


class Namespaces:
    """A bridge in this namespace and one network namespace per server, joined by veth pairs."""

    def __init__(self):
        self.tag = secrets.token_hex(2)
        self.bridge = f"sfbr{self.tag}"
        self.subnet = _free_subnet()
        self.spaces: list[str] = []
        self.addresses: list[str] = []
        self.relay_addresses: list[str] = []
        self._ip("link", "add", self.bridge, "type", "bridge")
        try:
            self._ip("addr", "add", f"{self.subnet}.1/24", "dev", self.bridge)
            self._ip("link", "set", self.bridge, "up")
        except OSError:
            self.close()
            raise

    @staticmethod
    def _ip(*args: str, space: str | None = None) -> None:
        command = ["ip", "netns", "exec", space, "ip", *args] if space else ["ip", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        if done.returncode:
            raise OSError(f"ip {' '.join(args)}: {done.stderr.strip() or done.returncode}")

    def add(self) -> tuple[str, str, str]:
        """A namespace for the next server: (its name, the server's address, its relay's address)."""
        k = len(self.spaces)
        space, outside, inside = f"sf{self.tag}-{k}", f"sfv{self.tag}{k}", f"sfp{self.tag}{k}"
        self._ip("netns", "add", space)
        self.spaces.append(space)
        self._ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        self._ip("link", "set", inside, "netns", space)
        self._ip("link", "set", outside, "master", self.bridge, "up")
        server, relay = f"{self.subnet}.{10 + k}", f"{self.subnet}.{20 + k}"
        self._ip("addr", "add", f"{server}/24", "dev", inside, space=space)
        self._ip("link", "set", inside, "up", space=space)
        self._ip("link", "set", "lo", "up", space=space)
        self._ip("addr", "add", f"{relay}/24", "dev", self.bridge)
        self.addresses.append(server)
        self.relay_addresses.append(relay)
        return space, server, relay

    def close(self) -> None:
        """Remove every namespace, veth and the bridge made here (each by its own name)."""
        for space in self.spaces:
            subprocess.run(["ip", "netns", "del", space], capture_output=True, timeout=30)
        for k in range(len(self.spaces)):
            subprocess.run(["ip", "link", "del", f"sfv{self.tag}{k}"], capture_output=True, timeout=30)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True, timeout=30)
        self.spaces = []


def network(count: int) -> tuple[Namespaces | None, str]:
    """(namespaces for ``count`` servers, "") where this machine allows them, else (None, why not)."""
    if os.geteuid() != 0:
        return None, "not root: network namespaces need CAP_NET_ADMIN"
    if shutil.which("ip") is None:
        return None, "no ip command (iproute2)"
    net = None
    try:
        net = Namespaces()
        for _ in range(count):
            net.add()
    except (OSError, subprocess.SubprocessError) as exc:
        if net is not None:
            net.close()
        return None, f"ip netns is refused here: {exc}"
    return net, ""


class Relay:
    """A TCP relay on loopback that records what passes both ways (the wire, captured)."""

    def __init__(self, target_port: int, host: str = "127.0.0.1", upstream: str = "127.0.0.1"):
        self.target_port, self.host, self.upstream = target_port, host, upstream
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
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
                upstream = socket.create_connection((self.upstream, self.target_port), timeout=5)
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
    #: The network namespace the server runs in, and its address there ("": loopback).
    space: str = ""
    address: str = "127.0.0.1"
    #: Why the servers are on loopback ("": each in its own namespace).
    why_loopback: str = ""

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
        if not self.space:
            self.server = start_server(self.env, self.port, self.folder / "serve.log", workers=1, threads=4)
            return
        log = self.folder / "serve.log"
        process = subprocess.Popen(["ip", "netns", "exec", self.space, *CLI, "serve", "--bind",
                                    f"{self.address}:{self.port}", "--workers", "1", "--threads", "4"],
                                   env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"{self.name}: serve stopped: {log.read_text()}")
            try:
                with socket.create_connection((self.address, self.port), timeout=1):
                    self.server = Server(f"http://{self.address}:{self.port}", self.env, process, log)
                    return
            except OSError:
                time.sleep(0.3)
        process.kill()
        raise AssertionError(f"{self.name}: serve did not listen in its namespace in 90 s: {log.read_text()}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def make_member(name: str, folder: Path, spec: dict, *, place: tuple[str, str, str] | None = None,
                **extra) -> Member:
    """A server loaded with ``spec``; ``place``: (namespace, server address, relay address) where
    it runs in a namespace of its own (plain HTTP between the test addresses), else loopback."""
    port = free_port()
    space, address, relay_address = place or ("", "127.0.0.1", "127.0.0.1")
    relay = Relay(port, host=relay_address, upstream=address)
    if space:  # plain HTTP off loopback is for test hosts only, and not with HTTPS=1
        extra = {"HTTPS": "0", "FEDERATION_ALLOW_HTTP": "1",
                 "ALLOWED_HOSTS": f"127.0.0.1,{address},{relay_address}", **extra}
    env = production_env(folder, port, DATABASE_URL="", FEDERATION_URL=f"http://{relay_address}:{relay.port}",
                         FEDERATION_KEY_DIR=str(folder / "keys" / "federation"),
                         FEDERATION_DEADLINE_SECONDS="20", **extra)
    run_cli(env, "migrate", "--noinput")
    run_cli(env, "createcachetable")
    member = Member(name, folder, env, relay, port=port, spec=spec, space=space, address=address)
    member.ids = json.loads(member.shell(SETUP, SPEC=json.dumps(spec)).strip().splitlines()[-1])
    return member


def python() -> str:
    return sys.executable
