"""A backup holds nothing that logs anyone in: every session and token in it is tried
against a real production server, and none opens a page or the API. Second-factor
secrets travel sealed. Restore says who must log in again, and never gives an old id
to something new (SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import subprocess

import pytest

from production_server import (CLI, Visitor, demo_database, free_port, production_env, run_cli,
                               start_server)
from sinfronteras.demo.load import PASSWORD

PASSPHRASE = "a long passphrase for the test backups"
TOKEN = re.compile(r'id="new-token">(sf_[A-Za-z0-9_-]+)<')


def sinfronteras(env, *args):
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A production server with ana (second factor entered) and luz logged in, luz holding
    an API token; then a backup of its database."""
    folder = tmp_path_factory.mktemp("backup-credentials")
    port = free_port()
    env = production_env(folder, port, DATABASE_URL="")
    demo_database(tmp_path_factory, folder / "data")
    run_cli(env, "migrate", "--noinput")
    server = start_server(env, port, folder / "serve.log", workers=1, threads=2)
    try:
        ana, luz = Visitor(server.base), Visitor(server.base)
        ana.log_in("ana", PASSWORD, run_cli(env, "democode", "ana").strip())
        luz.log_in("luz", PASSWORD)
        page = luz.post_form("/tokens/", {"name": "phone", "days": "30", "scope": "member"})
        token = TOKEN.search(page.text()).group(1)
        assert api(server, token).status_code == 200  # the token works before the backup
        (folder / "passphrase").write_text(PASSPHRASE + "\n")
        done = sinfronteras(env, "backup", "-o", str(folder / "backup.age"),
                            "--passphrase-file", str(folder / "passphrase"))
        assert done.returncode == 0, done.stderr
        yield {"server": server, "env": env, "folder": folder, "ana": ana, "luz": luz,
               "token": token}
    finally:
        server.stop()


def api(server, token):
    return Visitor(server.base).get("/api/needs", headers={"Authorization": f"Bearer {token}"})


def opened(folder) -> tuple[str, dict]:
    import pyrage

    plain = gzip.decompress(pyrage.passphrase.decrypt((folder / "backup.age").read_bytes(),
                                                      PASSPHRASE)).decode()
    return plain, json.loads(plain)


@pytest.mark.slow
def test_no_session_or_token_in_a_backup_logs_anyone_in(served):
    server, folder = served["server"], served["folder"]
    text, document = opened(folder)
    cookies = {**served["ana"].cookies, **served["luz"].cookies}
    session_cookie = next(name for name in served["ana"].cookies if "session" in name)
    live_keys = [served["ana"].cookies[session_cookie], served["luz"].cookies[session_cookie]]
    assert Visitor(server.base, {session_cookie: live_keys[0]}).get("/plan/").status_code == 200
    # Everything in the backup that could be a session key or a token, tried for real.
    candidates = {obj["pk"] for obj in document["objects"] if obj["model"] == "sessions.session"}
    candidates |= {obj["fields"].get("token_hash") for obj in document["objects"]
                   if "token_hash" in obj["fields"]}
    candidates |= set(re.findall(r"\b[a-z0-9]{32}\b", text))  # the shape of a session key
    candidates |= set(re.findall(r"sf_[A-Za-z0-9_-]{20,}", text))
    candidates.discard(None)
    # The patterns would catch the live ones, were they in the backup.
    assert set(re.findall(r"\b[a-z0-9]{32}\b", " ".join(live_keys))) == set(live_keys)
    for candidate in candidates:
        page = Visitor(server.base, {session_cookie: candidate}).get("/plan/")
        assert page.status_code == 302 and "/login/" in page.get("Location"), candidate
        assert api(server, candidate).status_code == 401, candidate
    for secret in [*live_keys, served["token"], *cookies.values()]:
        assert secret not in text
    assert not [obj for obj in document["objects"]
                if obj["model"] in ("sessions.session", "members.apitoken")]


@pytest.mark.slow
def test_second_factor_secrets_travel_sealed(served):
    folder = served["folder"]
    text, document = opened(folder)
    with sqlite3.connect(folder / "data" / "sinfronteras.sqlite3") as db:
        keys = [row[0] for row in db.execute("SELECT key FROM otp_totp_totpdevice")]
    assert keys and not any(key in text for key in keys)
    devices = [obj for obj in document["objects"] if obj["model"] == "otp_totp.totpdevice"]
    assert devices and all(obj["fields"]["key"].startswith("sealed:") for obj in devices)


@pytest.mark.slow
def test_restore_says_who_must_log_in_again_and_keeps_the_second_factor_with_the_seal_key(
        served, tmp_path):
    folder = served["folder"]
    same_keys = {**production_env(tmp_path / "same", 1, DATABASE_URL=""),
                 "SEAL_KEY_FILE": served["env"]["SEAL_KEY_FILE"], "BACKUP_PASSPHRASE": PASSPHRASE}
    done = sinfronteras(same_keys, "restore", str(folder / "backup.age"))
    assert done.returncode == 0, done.stderr
    assert "Everyone must log in again" in done.stdout
    assert re.search(r"Logged in when the backup was made: .*\bana\b", done.stdout)
    assert "Must make new API tokens: luz." in done.stdout
    assert "set it up again" not in done.stdout

    def devices(path):
        with sqlite3.connect(path) as db:
            return sorted(db.execute("SELECT user_id, key, confirmed FROM otp_totp_totpdevice"))

    assert devices(tmp_path / "same" / "data" / "sinfronteras.sqlite3") == devices(
        folder / "data" / "sinfronteras.sqlite3")
    other_keys = {**production_env(tmp_path / "other", 1, DATABASE_URL=""),
                  "BACKUP_PASSPHRASE": PASSPHRASE}
    done = sinfronteras(other_keys, "restore", str(folder / "backup.age"))
    assert done.returncode == 0, done.stderr
    assert re.search(r"set it up again at their next login: .*\bana\b", done.stdout)
    assert devices(tmp_path / "other" / "data" / "sinfronteras.sqlite3") == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_gives_an_old_id_to_something_new(la, carla, tmp_path, settings):
    from cryptography.fernet import Fernet

    from sinfronteras.members.models import Area
    from sinfronteras.web.backup import Key, do_backup, do_restore

    settings.SEAL_KEYS = [Fernet.generate_key().decode()]
    areas = [Area.objects.create(collective=la, name=f"Area {i}", lat=34, lon=-118) for i in range(3)]
    highest = areas[-1].pk
    Area.objects.filter(pk__in=[a.pk for a in areas[1:]]).delete()  # the last ids are gone
    key = Key(passphrase=PASSPHRASE)
    do_backup(tmp_path / "b.age", key)
    do_restore(tmp_path / "b.age", key, force=True)
    fresh = Area.objects.create(collective=la, name="After the restore", lat=34, lon=-118)
    assert fresh.pk > highest
