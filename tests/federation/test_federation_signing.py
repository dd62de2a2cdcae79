"""RFC 9421 signatures with a Content-Digest both ways, the rule on plain HTTP, the settings
production refuses, and the command line's one-line errors."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from production_server import CLI, production_env, run_cli

from sinfronteras.federation import keys, signing, transport

URL = "https://tj.example.org/federation/tj/inbox"
ACTOR = "https://la.example.org/federation/la/actor"


@pytest.fixture
def pair():
    return keys._load(keys._new_line().decode())


def test_a_signed_request_verifies_with_its_key_and_names_it(pair):
    headers = signing.sign_request("POST", URL, b'{"a":1}', ACTOR, pair)
    assert headers["Content-Digest"].startswith("sha-256=:")
    assert signing.verify_request("POST", URL, headers, b'{"a":1}', lambda kid: pair.public) == \
        f"{ACTOR}#{pair.fingerprint}"


@pytest.mark.parametrize("change", ["body", "url", "method"])
def test_a_request_changed_after_signing_is_refused(pair, change):
    headers = signing.sign_request("POST", URL, b'{"a":1}', ACTOR, pair)
    body, url, method = b'{"a":1}', URL, "POST"
    if change == "body":
        body = b'{"a":2}'
    elif change == "url":
        url = URL.replace("/tj/", "/sd/")
    else:
        method = "PUT"
    with pytest.raises(signing.SignatureRefused):
        signing.verify_request(method, url, headers, body, lambda kid: pair.public)


@pytest.mark.parametrize("minutes", [-6, 3])
def test_a_request_dated_over_five_minutes_ago_or_ahead_of_the_clock_is_refused(pair, minutes):
    created = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=minutes)
    headers = signing.sign_request("POST", URL, b"{}", ACTOR, pair, created=created)
    with pytest.raises(signing.SignatureRefused):
        signing.verify_request("POST", URL, headers, b"{}", lambda kid: pair.public)


def test_an_answer_is_bound_to_the_request_it_answers(pair):
    asked = signing.Message("POST", URL, signing.sign_request("POST", URL, b"{}", ACTOR, pair))
    headers = signing.sign_response(200, b'{"ok":1}', asked, ACTOR, pair)
    signing.verify_response(200, headers, b'{"ok":1}', asked, lambda kid: pair.public)
    other = signing.Message("POST", URL.replace("/tj/", "/sd/"), asked.headers)
    with pytest.raises(signing.SignatureRefused):
        signing.verify_response(200, headers, b'{"ok":1}', other, lambda kid: pair.public)
    with pytest.raises(signing.SignatureRefused):
        signing.verify_response(403, headers, b'{"ok":1}', asked, lambda kid: pair.public)


def test_plain_http_is_spoken_only_between_loopback_addresses(settings):
    settings.FEDERATION_ALLOW_HTTP = False
    assert transport.check_url("http://127.0.0.1:8000/federation/la/inbox")
    assert transport.check_url("http://[::1]:8000/federation/la/inbox")
    with pytest.raises(ValueError, match="loopback"):
        transport.check_url("http://10.0.0.7:8000/federation/la/inbox")
    settings.FEDERATION_ALLOW_HTTP = True  # test hosts in network namespaces
    assert transport.check_url("http://10.0.0.7:8000/federation/la/inbox")


def test_a_rotated_key_signs_and_the_older_one_is_still_published(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path)
    old = keys.signing_key("la")
    new = keys.rotate("la")
    assert new.fingerprint != old.fingerprint
    assert [p.fingerprint for p in keys.key_pairs("la")] == [new.fingerprint, old.fingerprint]
    assert (tmp_path / "la.ed25519").stat().st_mode & 0o777 == 0o600


def _check(env):
    return subprocess.run([*CLI, "check"], env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_plain_http_to_peers_and_keys_beside_the_database(tmp_path):
    env = production_env(tmp_path, 8000, DATABASE_URL="", FEDERATION_KEY_DIR=str(tmp_path / "keys" / "fed"))
    done = _check({**env, "FEDERATION_ALLOW_HTTP": "1"})
    assert done.returncode == 2 and "FEDERATION_ALLOW_HTTP" in done.stderr
    done = _check({**env, "FEDERATION_KEY_DIR": str(tmp_path / "data" / "fed")})
    assert done.returncode == 2 and "FEDERATION_KEY_DIR" in done.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    env = production_env(folder, 8000, DATABASE_URL="", FEDERATION_KEY_DIR=str(folder / "keys" / "fed"))
    run_cli(env, "migrate", "--noinput")
    run_cli(env, "createcollective", "Los Angeles", "--username", "ana", "--password", "long enough password 1")
    return env


@pytest.mark.parametrize("args, words", [
    (["federation", "join", "not-a-code"], "not an invitation code"),
    (["federation", "join", "sfed1.eyJzIjoi"], "copy it whole"),
    (["federation", "fly"], "unknown action"),
    (["federation", "round"], "add --now"),
    (["federation", "status", "--collective", "nowhere"], "no such collective"),
    (["federation", "create", "Fed", "--bogus"], "unrecognized arguments"),
])
def test_a_bad_command_line_exits_2_with_one_line(migrated, args, words):
    done = subprocess.run([*CLI, *args], env=migrated, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
