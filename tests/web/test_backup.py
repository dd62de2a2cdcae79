"""`sinfronteras backup` and `restore`: an age-encrypted copy of every table, restored row by
row into an empty database; a wrong key or a database in use is refused in one line."""

from __future__ import annotations

import sqlite3

import pytest

from production_server import CLI, demo_database, production_env

PASSPHRASE = "a long passphrase for the test backups"


def sinfronteras(env, *args):
    import subprocess

    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=300)


def tables(path) -> dict[str, list[tuple]]:
    """Every table's rows, in a fixed order (the migration records: their names only)."""
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        rows = {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in names if name != "django_migrations"}
        rows["django_migrations"] = sorted(db.execute("SELECT app, name FROM django_migrations"))
    return rows


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    env = production_env(folder, 1, DATABASE_URL="", CACHE_BACKEND="memory")
    demo_database(tmp_path_factory, folder / "data")
    (folder / "passphrase").write_text(PASSPHRASE + "\n")
    done = sinfronteras(env, "backup", "-o", str(folder / "backup.age"),
                        "--passphrase-file", str(folder / "passphrase"))
    assert done.returncode == 0, done.stderr
    return folder, env


def an_empty_install(folder, name, seal_keys_of=None):
    """A new install; with ``seal_keys_of``, holding the seal keys of that install, as an
    operator brings them (kept apart from the backups) to the machine that restores."""
    env = production_env(folder / name, 1, DATABASE_URL="", CACHE_BACKEND="memory")
    if seal_keys_of is not None:
        env["SEAL_KEY_FILE"] = seal_keys_of["SEAL_KEY_FILE"]
    return env


@pytest.mark.slow
def test_a_backup_restores_every_table_row_by_row_into_an_empty_database(made):
    folder, env = made
    backup = (folder / "backup.age").read_bytes()
    assert backup.startswith(b"age-encryption.org/v1")  # the age format, nothing readable
    # The rows as they stand in the fixtures, not a bare "luz": three random bytes of the
    # ciphertext spell it now and then.
    assert b"sinfronteras" not in backup and b'"username":"luz"' not in backup
    assert (folder / "backup.age").stat().st_mode & 0o077 == 0
    target = folder / "restored"
    done = sinfronteras({**an_empty_install(folder, "restored", env),
                         "BACKUP_PASSPHRASE": PASSPHRASE}, "restore", str(folder / "backup.age"))
    assert done.returncode == 0, done.stderr
    before = tables(folder / "data" / "sinfronteras.sqlite3")
    after = tables(target / "data" / "sinfronteras.sqlite3")
    assert set(after) == set(before)
    for name in before:
        assert after[name] == before[name], name
    assert len(before["members_member"]) > 100 and len(before["plans_task"]) > 10


def test_a_backup_holds_no_sealing_key(made):
    import pyrage

    folder, env = made
    plain = pyrage.passphrase.decrypt((folder / "backup.age").read_bytes(), PASSPHRASE)
    import gzip

    text = gzip.decompress(plain)
    key = (folder / "keys" / "seal.keys").read_bytes().strip()
    assert key not in text and b"seal.keys" not in text


def test_a_wrong_key_is_refused_in_one_line_with_status_2(made, tmp_path):
    folder, env = made
    done = sinfronteras({**an_empty_install(tmp_path, "wrong"), "BACKUP_PASSPHRASE": "not it"},
                        "restore", str(folder / "backup.age"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "this key does not open the backup" in lines[0]


def test_a_database_in_use_is_refused_unless_forced(made, tmp_path, tmp_path_factory):
    folder, env = made
    demo_database(tmp_path_factory, tmp_path / "used" / "data")
    used = {**an_empty_install(tmp_path, "used", env), "BACKUP_PASSPHRASE": PASSPHRASE}
    with sqlite3.connect(tmp_path / "used" / "data" / "sinfronteras.sqlite3") as db:
        db.execute("UPDATE members_member SET display_name = 'changed'")
    done = sinfronteras(used, "restore", str(folder / "backup.age"))
    assert done.returncode == 2 and "the database is not empty" in done.stderr
    done = sinfronteras(used, "restore", "--force", str(folder / "backup.age"))
    assert done.returncode == 0, done.stderr
    assert tables(tmp_path / "used" / "data" / "sinfronteras.sqlite3") == tables(
        folder / "data" / "sinfronteras.sqlite3")


def test_a_backup_to_an_age_key_opens_with_its_identity_only(made, tmp_path):
    import pyrage

    folder, env = made
    identity = pyrage.x25519.Identity.generate()
    (tmp_path / "identity").write_text(str(identity) + "\n")
    done = sinfronteras({**env, "BACKUP_RECIPIENTS": str(identity.to_public())},
                        "backup", "-o", str(tmp_path / "keyed.age"))
    assert done.returncode == 0, done.stderr
    other = pyrage.x25519.Identity.generate()
    (tmp_path / "other").write_text(str(other) + "\n")
    refused = sinfronteras(an_empty_install(tmp_path, "a"), "restore", str(tmp_path / "keyed.age"),
                           "--identity", str(tmp_path / "other"))
    assert refused.returncode == 2 and "does not open" in refused.stderr
    opened = sinfronteras(an_empty_install(tmp_path, "b"), "restore", str(tmp_path / "keyed.age"),
                          "--identity", str(tmp_path / "identity"))
    assert opened.returncode == 0, opened.stderr
