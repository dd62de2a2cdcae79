"""The production command, as docs/operators.md's "Production" runs it: gunicorn on loopback with
HTTPS=1 behind a (pretend) TLS proxy, static files through WhiteNoise, a SQLite file of its
own. Every page a member and a coordinator reach opens, with strict headers, and its
stylesheet comes compressed with a long cache; the access log keeps no secret."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawling import crawl
from production_server import (Visitor, demo_database, free_port, production_env, run_cli,
                               start_server)
from sinfronteras.demo.load import PASSWORD
from sinfronteras.web.middleware import CONTENT_SECURITY_POLICY

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(folder, port, DATABASE_URL="")
    demo_database(tmp_path_factory, folder / "data")
    run_cli(env, "migrate", "--noinput")  # as the service does before it starts
    running = start_server(env, port, folder / "serve.log")
    yield running
    running.stop()


def member(server, username):
    visitor = Visitor(server.base)
    code = run_cli(server.env, "democode", username).strip() if username == "ana" else None
    visitor.log_in(username, PASSWORD, code)
    return visitor


def check_every_page(server, visitor):
    problems, stylesheets = [], set()

    def on_page(path, page):
        if "text/html" not in page.get("Content-Type"):
            return
        for name, value in PAGE_HEADERS.items():
            if page.get(name) != value:
                problems.append(f"{path}: {name}={page.get(name)!r}")
        if "no-store" not in page.get("Cache-Control"):
            problems.append(f"{path}: Cache-Control={page.get('Cache-Control')!r}")
        if page.status_code == 200:
            found = STYLESHEET.findall(page.text())
            if not found:
                problems.append(f"{path}: no stylesheet")
            stylesheets.update(found)

    statuses = crawl(visitor, on_page=on_page)
    return statuses, problems, stylesheets


@pytest.mark.slow
@pytest.mark.parametrize("username", ["luz", "ana"])
def test_every_page_opens_under_gunicorn_with_strict_headers_and_its_stylesheet(server, username):
    statuses, problems, stylesheets = check_every_page(server, member(server, username))
    assert {path: code for path, code in statuses.items() if code not in (200, 302)} == {}
    assert len(statuses) > 25, statuses  # the crawl went somewhere
    assert problems == []
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", href) for href in stylesheets)
    for href in stylesheets:
        sheet = Visitor(server.base).get(href)
        assert sheet.status_code == 200
        assert sheet.get("Content-Type").startswith("text/css")
        assert sheet.get("Content-Encoding") == "gzip" and sheet.raw_length < len(sheet.content)
        assert "immutable" in sheet.get("Cache-Control")
        assert int(re.search(r"max-age=(\d+)", sheet.get("Cache-Control")).group(1)) >= 31536000
        assert sheet.get("x-content-type-options") == "nosniff"


def test_pages_are_compressed(server):
    page = member(server, "luz").get("/needs/")
    assert page.status_code == 200 and page.get("Content-Encoding") == "gzip"
    assert page.raw_length < len(page.content)


def test_a_plain_http_request_is_sent_to_https(server):
    page = Visitor(server.base).get("/login/", headers={"X-Forwarded-Proto": "http"})
    assert page.status_code == 301 and page.get("Location").startswith("https://")


def test_the_access_log_keeps_no_invitation_token_address_or_user_agent(server):
    visitor = member(server, "luz")
    page = visitor.post_form("/invites/", {})
    link = re.search(r"https?://[^\s<\"]+/join/([^/\s<\"]+)/", page.text())
    assert link, "no invitation link on the page"
    token = link.group(1)
    agent = "Canary-Agent/9.9"
    assert Visitor(server.base).get(f"/join/{token}/", headers={"User-Agent": agent}).status_code == 200
    for _ in range(50):  # the access log line is written just after the response
        log = server.output()
        if '"GET /join/' in log:
            break
        time.sleep(0.1)
    assert '"GET /join/…/" 200' in log  # the request was logged, without its token
    assert token not in log and agent not in log and "127.0.0.1 " not in log


def test_the_database_and_the_key_file_are_readable_by_their_owner_only(server):
    data = server.env["DATA_DIR"]
    for path in [f"{data}/sinfronteras.sqlite3", server.env["SEAL_KEY_FILE"]]:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def api_token(server, username) -> str:
    page = member(server, username).post_form("/tokens/", {"name": "schemathesis"})
    found = re.search(r'id="new-token">([^<]+)<', page.text())
    assert found, "no new token on the tokens page"
    return found.group(1).strip()


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_or_schema_violation_in_the_api(server, tmp_path):
    """Property-based calls from the OpenAPI document, with a bounded budget, as a member."""
    token = api_token(server, "luz")
    schemathesis = Path(sys.executable).with_name("schemathesis")
    done = subprocess.run(
        [str(schemathesis), "run", f"{server.base}/api/openapi.json", "--url", server.base,
         "-H", f"Authorization: Bearer {token}", "-H", "X-Forwarded-Proto: https",
         "--checks", "not_a_server_error,response_schema_conformance",
         "--max-examples", "10", "--seed", "2026", "--phases", "examples,coverage,fuzzing",
         "--generation-database", "none", "--workers", "1", "--request-timeout", "30",
         "--no-color", "--report", "junit", "--report-junit-path", str(tmp_path / "junit.xml")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    report = (tmp_path / "junit.xml").read_text() if (tmp_path / "junit.xml").exists() else ""
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert report.count("<testcase") >= 5, report[:2000]  # it called the API's operations
