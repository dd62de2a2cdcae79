"""The start-up checks (`check --deploy`, and `serve`, which runs them first) refuse a key
file that is empty or unreadable, an SMS hash key beside the database, and what only a
laptop or a test may use: the demo's simulated phone, push to a loopback service."""

from __future__ import annotations

import subprocess

import pytest

from production_server import CLI, free_port, production_env

pytestmark = pytest.mark.slow


def sinfronteras(env, *args, timeout=120):
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)


def check(env):
    return sinfronteras(env, "check", "--deploy", "--fail-level", "WARNING")


def test_a_sound_production_setup_passes(tmp_path):
    done = check(production_env(tmp_path, 1, DATABASE_URL=""))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"not a key\n"])
def test_an_empty_or_broken_seal_key_file_fails_check_deploy_and_serve(tmp_path, content):
    env = production_env(tmp_path, 1, DATABASE_URL="")
    (tmp_path / "keys" / "seal.keys").write_bytes(content)
    done = check(env)
    assert done.returncode != 0 and "seal key file" in done.stderr
    port = free_port()
    served = sinfronteras({**env, "SITE_URL": f"https://127.0.0.1:{port}"}, "serve", "--bind",
                          f"127.0.0.1:{port}", timeout=120)  # today: it serves, and never returns
    assert served.returncode != 0 and "seal key file" in served.stderr + served.stdout


def test_an_unreadable_seal_key_file_fails(tmp_path):
    env = production_env(tmp_path, 1, DATABASE_URL="")
    path = tmp_path / "keys" / "seal.keys"
    path.unlink()
    path.mkdir()  # a folder: unreadable as a file, whoever runs the test (root included)
    done = check(env)
    assert done.returncode != 0 and "cannot be read" in done.stderr


@pytest.mark.parametrize("variable, file, words", [
    ("SMS_HASH_KEY_FILE", "sms-hash.key", "SMS hash key file"),
    ("VAPID_KEY_FILE", "vapid.pem", "VAPID key file"),
])
def test_an_empty_sms_hash_or_vapid_key_file_fails(tmp_path, variable, file, words):
    path = tmp_path / "keys" / file
    env = production_env(tmp_path, 1, DATABASE_URL="", **{variable: str(path)})
    path.write_bytes(b"")
    done = check(env)
    assert done.returncode != 0 and words in done.stderr and "is empty" in done.stderr


def test_the_sms_hash_key_must_live_outside_data_dir_in_production(tmp_path):
    inside = tmp_path / "data" / "sms-hash.key"
    env = production_env(tmp_path, 1, DATABASE_URL="", SMS_GATEWAY_URL="https://gw.example/message",
                         SMS_GATEWAY_USER="u", SMS_GATEWAY_PASSWORD="p",
                         SMS_WEBHOOK_KEY="a-webhook-key", SMS_HASH_KEY_FILE=str(inside))
    inside.write_text("k" * 40 + "\n")
    done = check(env)
    assert done.returncode != 0 and "is inside DATA_DIR" in done.stderr
    outside = tmp_path / "keys" / "sms-hash.key"
    outside.write_text("k" * 40 + "\n")
    assert check({**env, "SMS_HASH_KEY_FILE": str(outside)}).returncode == 0


@pytest.mark.parametrize("variable", ["SMS_DEMO_PHONE", "PUSH_LOOPBACK_FOR_TESTS"])
def test_production_refuses_what_only_the_demo_or_the_tests_may_use(tmp_path, variable):
    env = production_env(tmp_path, 1, DATABASE_URL="", SMS_HASH_KEY="h" * 20, **{variable: "1"})
    done = check(env)
    assert done.returncode != 0 and variable in done.stderr
