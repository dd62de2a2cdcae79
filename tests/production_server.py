"""The production setup on loopback, as an operator runs it: ``sinfronteras migrate``,
``loaddemo``, then ``sinfronteras serve`` (gunicorn, WhiteNoise, HTTPS=1 behind a proxy),
on a free port with its own database. Also a small HTTP visitor that keeps its cookies and
speaks to the server as the TLS proxy would (``X-Forwarded-Proto: https``)."""

from __future__ import annotations

import gzip
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet

CLI = [sys.executable, "-m", "sinfronteras.cli"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(folder: Path, port: int, **extra) -> dict:
    """A production-like environment: HTTPS=1, a real secret key, the seal key outside DATA_DIR."""
    (folder / "data").mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / "keys").mkdir(mode=0o700, parents=True, exist_ok=True)
    keys = folder / "keys" / "seal.keys"
    if not keys.exists():
        keys.write_bytes(Fernet.generate_key() + b"\n")
        keys.chmod(0o600)
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "SEAL_", "HTTPS", "SECRET_KEY", "SITE_URL",
                                 "ALLOWED_HOSTS", "DATA_DIR", "WEB_", "CACHE_BACKEND"))}
    return {**keep, "HTTPS": "1", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"https://127.0.0.1:{port}",
            "DATA_DIR": str(folder / "data"), "SEAL_KEY_FILE": str(keys),
            "CACHE_BACKEND": "database", "TASKS_BACKEND": "database", **extra}


def run_cli(env: dict, *args: str, timeout: int = 300) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"sinfronteras {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@dataclass
class Server:
    base: str
    env: dict
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(env: dict, port: int, log: Path, *, workers: int = 2, threads: int = 4) -> Server:
    handle = log.open("w")
    process = subprocess.Popen(
        [*CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads)], env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Server(base, env, process, log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError(f"serve did not listen in 90 s: {log.read_text()}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


@dataclass
class Page:
    status_code: int
    headers: dict
    content: bytes
    raw_length: int

    def get(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def text(self) -> str:
        return self.content.decode()


@dataclass
class Visitor:
    """A browser as far as the server can tell, through the TLS proxy: cookies (Secure ones
    too, the proxy speaks TLS), gzip, Origin and Referer on forms."""

    base: str
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None,
                headers: dict | None = None) -> Page:
        origin = self.base.replace("http://", "https://")
        sent = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip",
                "Referer": origin + path, **(headers or {})}
        if method != "GET":
            sent["Origin"] = origin
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None if data is None else urlencode(data).encode()
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=sent)
        try:
            response = OPENER.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        raw = response.read()
        got = {k.lower(): v for k, v in response.headers.items()}
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        content = gzip.decompress(raw) if got.get("content-encoding") == "gzip" else raw
        return Page(response.status, got, content, len(raw))

    def get(self, path: str, **kwargs) -> Page:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> Page:
        """GET the form for its CSRF token, then POST it."""
        token = CSRF.search(self.get(path).text())
        assert token, f"no CSRF token on {path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **data})

    def log_in(self, username: str, password: str, code: str | None = None) -> None:
        assert self.post_form("/login/", {"username": username, "password": password}).status_code == 302
        if code is not None:
            assert self.post_form("/two-factor/", {"code": code}).status_code == 302


_DEMO: dict = {}


def demo_database(tmp_path_factory, into: Path) -> Path:
    """A migrated SQLite database with the demo collective and its first plan, made once per
    test session by the real commands (``migrate``, ``loaddemo``) and copied into ``into``."""
    import sqlite3

    if "path" not in _DEMO:
        folder = tmp_path_factory.mktemp("demo-database")
        env = production_env(folder, 1, DATABASE_URL="")
        run_cli(env, "migrate", "--noinput")
        run_cli(env, "loaddemo")
        _DEMO["path"] = folder / "data" / "sinfronteras.sqlite3"
    into.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = into / "sinfronteras.sqlite3"
    with sqlite3.connect(_DEMO["path"]) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    target.chmod(0o600)
    return target
