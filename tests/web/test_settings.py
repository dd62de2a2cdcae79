"""Settings come from typed environment variables; production passes check --deploy."""

import json
import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "HTTPS": "1",
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Zq8#x!pL0v@R2m$T6w^Y9c&N4b*J7h(F",
    "ALLOWED_HOSTS": "aid.example.org",
    "SITE_URL": "https://aid.example.org",
    "SEAL_KEYS": "x1Yw0lq3n2bQk5r9d8f7g6h5j4k3l2m1n0p9o8i7u6E=",
    "SEAL_KEY_FILE": "/nonexistent/seal.keys",
}


def sinfronteras(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "sinfronteras.cli", *args], capture_output=True, text=True,
        env={**{k: v for k, v in os.environ.items()
                if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}, timeout=120,
    )


def test_production_settings_pass_check_deploy():
    done = sinfronteras("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_without_https():
    env = {**PRODUCTION, "HTTPS": "0"}
    done = sinfronteras("check", "--deploy", "--fail-level", "WARNING", **env)
    assert done.returncode != 0


@pytest.mark.parametrize("name, value, says", [
    ("HTTPS", "perhaps", "HTTPS='perhaps' is not a yes/no value"),
    ("WRITES_PER_MINUTE", "lots", "WRITES_PER_MINUTE='lots' is not a whole number"),
    ("LOGIN_MAX_FAILURES", "0", "LOGIN_MAX_FAILURES=0 is too small"),
    ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL names an unsupported database"),
    ("CACHE_BACKEND", "disk", "CACHE_BACKEND='disk' is not one of memory, database, redis"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(name, value, says):
    done = sinfronteras("check", **{name: value})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sinfronteras: configuration error:")
    assert says in lines[0]


def test_https_needs_a_real_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    done = sinfronteras("check", **env)
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


def test_https_needs_sealing_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "SEAL_KEYS"}
    done = sinfronteras("check", **env)
    assert done.returncode == 2 and "SEAL_KEYS" in done.stderr


def test_a_redis_cache_needs_redis_url():
    done = sinfronteras("check", CACHE_BACKEND="redis", REDIS_URL="")
    assert done.returncode == 2 and "CACHE_BACKEND=redis needs REDIS_URL" in done.stderr


SHARED_COUNT = """
import django
django.setup()
from django.core.cache import cache
cache.add("writes", 0, timeout=60)
print(cache.incr("writes"))
"""


def test_a_database_cache_counts_writes_across_processes(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CACHE_BACKEND": "database",
           "DJANGO_SETTINGS_MODULE": "sinfronteras.web.settings"}
    assert sinfronteras("createcachetable", **env).returncode == 0
    counts = [subprocess.run([sys.executable, "-c", SHARED_COUNT], capture_output=True, text=True,
                             env={**os.environ, **env}, timeout=60).stdout.strip()
              for _ in range(2)]
    assert counts == ["1", "2"]  # the second process saw the first one's write


def test_https_refuses_a_seal_key_file_beside_the_database(tmp_path):
    (tmp_path / "seal.keys").write_text("x1Yw0lq3n2bQk5r9d8f7g6h5j4k3l2m1n0p9o8i7u6E=\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SEAL_KEYS"}
    env.update(DATA_DIR=str(tmp_path), SEAL_KEY_FILE=str(tmp_path / "seal.keys"))
    done = sinfronteras("check", **env)
    assert done.returncode == 2
    assert "is inside DATA_DIR" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_in_production_the_seal_key_file_is_outside_the_data_folder_by_default():
    env = {k: v for k, v in PRODUCTION.items() if k not in ("SEAL_KEYS", "SEAL_KEY_FILE")}
    done = sinfronteras("shell", "-c", "from django.conf import settings; print(settings.SEAL_KEY_FILE)",
                        **{**env, "SEAL_KEYS": PRODUCTION["SEAL_KEYS"]})
    assert done.stdout.strip().splitlines()[-1] == "/etc/sinfronteras/seal.keys", done.stderr


def test_the_command_line_creates_the_database_readable_by_its_owner_only(tmp_path):
    done = sinfronteras("migrate", "--noinput", DATA_DIR=str(tmp_path), DATABASE_URL="")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sinfronteras.sqlite3").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("env, engine, cache", [
    ({}, "sinfronteras.members.sessions", None),
    ({"WEB_WORKERS": "1"}, "django.contrib.sessions.backends.cached_db",
     "django.core.cache.backends.locmem.LocMemCache"),
    ({"CACHE_BACKEND": "database"}, "sinfronteras.members.sessions", None),
    ({"CACHE_BACKEND": "redis", "REDIS_URL": "redis://127.0.0.1:6379/0"},
     "django.contrib.sessions.backends.cached_db", "django.core.cache.backends.redis.RedisCache"),
])
def test_sessions_are_read_through_a_cache_only_where_it_sees_every_logout(env, engine, cache):
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SESSION_ENGINE, s.CACHES.get('sessions', {}).get('BACKEND')]))")
    keep = {k: v for k, v in os.environ.items()
            if k not in PRODUCTION and k not in ("WEB_WORKERS", "CACHE_BACKEND", "REDIS_URL")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**keep, "DJANGO_SETTINGS_MODULE": "sinfronteras.web.settings", **env})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [engine, cache]
