"""Each app's migrations are squashed into one that tells its schema (issue 21).

Two empty databases (SQLite files, or PostgreSQL databases beside the one ``DATABASE_URL``
names): one migrated by the squashed migrations, one by the migrations from before the squash
(``tests/old_migrations``, through ``old_migrations.settings``) and then by the squashed ones,
as a database of the demo or of production migrated before the squash is. The second finds
nothing to apply, and both have the same tables, columns, constraints and indexes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.db.migrations.loader import MigrationLoader

from sinfronteras.web.backup import BackupError, _squashed_names

TESTS = Path(__file__).resolve().parent
OLD_SETTINGS = "old_migrations.settings"
PRODUCT_SETTINGS = "sinfronteras.web.settings"
#: The environment of the developer running the tests that would change what a command does.
NOT_PASSED = ("DJANGO_", "DATA_DIR", "DATABASE_URL", "HTTPS", "SECRET_KEY", "SEAL_KEY_FILE",
              "SITE_URL", "ALLOWED_HOSTS")


def sinfronteras(env: dict, *args: str) -> str:
    """Run ``sinfronteras ARGS`` in ``env``; its output (it must succeed)."""
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", *args], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"sinfronteras {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def schema(env: dict) -> dict:
    """The schema of ``env``'s database, as ``old_migrations.schema`` describes it."""
    done = subprocess.run([sys.executable, "-m", "old_migrations.schema"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def environment(folder: Path, database_url: str, settings: str = PRODUCT_SETTINGS) -> dict:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    kept = {k: v for k, v in os.environ.items() if not k.startswith(NOT_PASSED)}
    path = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p)
    return {**kept, "DATA_DIR": str(folder), "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": path}


def _postgresql_databases(url: str, names: list[str]):
    """Create empty PostgreSQL databases on the server of ``url``; their URLs."""
    parts = urllib.parse.urlsplit(url)
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    return [parts._replace(path=f"/{name}").geturl() for name in names]


def _drop_postgresql_databases(url: str, names: list[str]) -> None:
    server = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """``(old, squashed, switch)``: the environments of a database migrated before the squash
    then after, and of one migrated after only; ``switch``: what the migrate after it said."""
    folder = tmp_path_factory.mktemp("migrations")
    url = os.environ.get("DATABASE_URL", "")
    names = []
    if url.startswith(("postgres://", "postgresql://")):
        base = urllib.parse.urlsplit(url).path.lstrip("/") or "sinfronteras"
        names = [f"{base}_migrated_before_squash", f"{base}_migrated_squashed"]
        old_url, squashed_url = _postgresql_databases(url, names)
    else:
        old_url, squashed_url = "", ""  # SQLite, in each DATA_DIR
    old = environment(folder / "old", old_url)
    squashed = environment(folder / "squashed", squashed_url)
    sinfronteras({**old, "DJANGO_SETTINGS_MODULE": OLD_SETTINGS}, "migrate", "--noinput")
    switch = sinfronteras(old, "migrate", "--noinput")
    sinfronteras(squashed, "migrate", "--noinput")
    yield old, squashed, switch
    if names:
        _drop_postgresql_databases(url, names)


@pytest.mark.slow
def test_it_applies_nothing_to_a_database_the_old_migrations_made(migrated):
    """Nothing the squash replaced runs again: only migrations written after the squash apply."""
    old, _squashed, switch = migrated
    applied = re.findall(r"Applying (\w+)\.(\w+)\.\.\.", switch)
    assert applied or "No migrations to apply." in switch
    before = {(p.parent.name, p.stem) for p in (TESTS / "old_migrations").glob("*/0*.py")}
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in applied:
        assert (app, name) not in before and not disk[app, name].replaces, f"{app}.{name} ran again"
    listed = sinfronteras(old, "showmigrations")
    assert "[ ]" not in listed
    assert ("[X] 0001_squashed_0012_every_change_a_proposal_can_make (13 squashed migrations)"
            in listed)
    assert "[X] 0001_squashed_0011_resource_uri (15 squashed migrations)" in listed
    sinfronteras(old, "migrate", "--check")  # exits 1 when a migration is left to apply


@pytest.mark.slow
def test_it_makes_the_schema_the_old_migrations_made(migrated):
    old, squashed, _switch = migrated
    before, after = schema(old), schema(squashed)
    assert len(after["tables"]) > 50 and "sharing_offer" in after["tables"]
    assert sorted(after["tables"]) == sorted(before["tables"])
    for table, described in before["tables"].items():
        assert after["tables"][table]["columns"] == described["columns"], table
        assert after["tables"][table]["constraints"] == described["constraints"], table
    assert after == before  # the SQL of each table and index (SQLite), or each definition


@pytest.mark.slow
def test_it_loads_the_demo_on_a_database_the_old_migrations_made(migrated):
    old, _squashed, _switch = migrated
    said = sinfronteras(old, "loaddemo")
    assert "Log in as ana" in said


@pytest.mark.slow
def test_makemigrations_finds_nothing_to_make(migrated):
    _old, squashed, _switch = migrated
    said = sinfronteras(squashed, "makemigrations", "--check", "--dry-run")
    assert "No changes detected" in said


def rows(database: Path) -> dict[str, list]:
    """Every table's rows, each with its columns in name order (SQLite puts a column changed
    by an ``AlterField`` last); the migrations recorded: their names only."""
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        found = {}
        for table in tables:
            columns = sorted(row[1] for row in db.execute(f'PRAGMA table_info("{table}")'))
            listed = ", ".join(f'"{column}"' for column in columns)
            found[table] = sorted(db.execute(f'SELECT {listed} FROM "{table}"'), key=repr)
        found["django_migrations"] = sorted(db.execute("SELECT app, name FROM django_migrations"))
    return found


@pytest.fixture(scope="module")
def backed_up_before_the_squash(tmp_path_factory):
    """A demo database migrated before the squash (its records name the old migrations), then by
    what came after the squash, so that today's models load the demo; backed up (SQLite)."""
    folder = tmp_path_factory.mktemp("backup-before-squash")
    (folder / "passphrase").write_text("a passphrase for the backup before the squash\n")
    old = {**environment(folder / "old", ""), "SEAL_KEY_FILE": str(folder / "seal.keys")}
    sinfronteras({**old, "DJANGO_SETTINGS_MODULE": OLD_SETTINGS}, "migrate", "--noinput")
    sinfronteras(old, "migrate", "--noinput")
    sinfronteras(old, "loaddemo")
    sinfronteras(old, "backup", "-o", str(folder / "backup.age"),
                 "--passphrase-file", str(folder / "passphrase"))
    return folder, old


@pytest.mark.slow
def test_it_restores_a_backup_made_before_the_squash(backed_up_before_the_squash):
    folder, old = backed_up_before_the_squash
    empty = {**environment(folder / "new", ""), "SEAL_KEY_FILE": old["SEAL_KEY_FILE"],
             "BACKUP_PASSPHRASE": (folder / "passphrase").read_text().strip()}
    sinfronteras(empty, "restore", str(folder / "backup.age"))
    before = rows(folder / "old" / "sinfronteras.sqlite3")
    after = rows(folder / "new" / "sinfronteras.sqlite3")
    assert len(before["members_member"]) > 100
    assert sorted(after) == sorted(before)
    for table in before:
        if table != "django_migrations":
            assert after[table] == before[table], table
    assert ("sharing", "0007_merge_idempotency_and_slots") in before["django_migrations"]
    assert ("sharing", "0001_squashed_0011_resource_uri") in after["django_migrations"]
    sinfronteras(empty, "migrate", "--check")


def test_a_backup_made_part_way_through_a_squash_is_refused_with_what_to_do():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    squashed = ("members", "0001_squashed_0009_collective_pickup_hours")
    whole = set(loader.replacements[squashed].replaces) | {("web", "0001_one_time_keys_of_forms")}
    assert _squashed_names(whole, loader) == {squashed, ("web", "0001_one_time_keys_of_forms")}
    part = {("members", "0001_initial"), ("members", "0002_collective_default_radius_km_and_more")}
    with pytest.raises(BackupError, match="older version .* members.0002_collective_default_radius"
                                          "_km_and_more.* restore it with the version that made it"):
        _squashed_names(part, loader)


def _product_migrations() -> tuple[MigrationLoader, dict]:
    """The loader, and the migrations on disk of the project's own apps."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader, {key: migration for key, migration in loader.disk_migrations.items()
                    if type(migration).__module__.startswith("sinfronteras.")}


def test_every_app_has_one_leaf_migration():
    loader, product = _product_migrations()
    apps = {app for app, _name in product}
    assert {"members", "sharing", "plans", "assembly", "federation"} <= apps
    assert loader.detect_conflicts() == {}
    for app in apps:
        assert len(loader.graph.leaf_nodes(app)) == 1, app


def test_no_migration_in_the_product_is_a_merge():
    _loader, product = _product_migrations()
    for (app, name), migration in product.items():
        same_app = [dep for dep in migration.dependencies if dep[0] == app]
        assert migration.operations or len(same_app) < 2, f"{app}.{name} is a merge migration"


def test_the_product_holds_no_migration_a_squashed_one_replaces():
    _loader, product = _product_migrations()
    replaced = {key for migration in product.values() for key in migration.replaces}
    assert len(replaced) >= 50
    assert not replaced & set(product)
    apps = {app for app, _name in product}
    for key, migration in product.items():  # each dependency on an app names its migration
        for dep in migration.dependencies:
            if dep[0] in apps and dep[1] != "__first__":
                assert tuple(dep) in product, f"{key} depends on {dep}, not in the product"
