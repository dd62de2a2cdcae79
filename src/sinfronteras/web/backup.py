"""Encrypted backups of the database: every table, as Django's JSON fixtures, gzipped and
encrypted with age (pyrage). Works the same on SQLite and PostgreSQL, and a backup made on
one restores on the other.

The sealing keys are never in a backup (they are not in the database): sealed addresses
travel as ciphertext and open again only with the keys kept apart (``SEAL_KEYS`` /
``SEAL_KEY_FILE``). A backup is encrypted to age public keys (``age1...``; the private key
stays off the server) or to a passphrase.

A backup holds nothing that logs anyone in: no session, no API token (not even its hash),
no invitation not yet used; second-factor secrets (authenticator keys, recovery codes)
travel sealed with the seal keys, so the backup's passphrase alone does not give them.
Restore says who must log in again, make new tokens, or set up their second factor again.
It also keeps the highest id each table ever gave (``sequences``), so that a restored
database never gives an old id to something new (a link to task 50 stays task 50's).
"""

from __future__ import annotations

import datetime
import decimal
import gzip
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Max
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sinfronteras.members.models import ApiToken, Invite, Member
from sinfronteras.plans.sealing import Unreadable, seal, unseal
from sinfronteras.prepared import refresh_statistics

FORMAT = "sinfronteras-backup"
VERSION = 1
#: Tables left out: what they hold logs someone in (``_left_out`` lists who).
CREDENTIALS = {"sessions.session", "members.apitoken"}
#: Fields sealed with the seal keys in a backup: second-factor secrets.
SEALED_FIELDS = {"otp_totp.totpdevice": "key", "otp_static.statictoken": "token"}
SEALED_PREFIX = "sealed:"
#: Rows Django makes by itself on migrate: their presence does not make a database "in use".
BOOKKEEPING = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says what to fix."""


@dataclass(frozen=True)
class Key:
    """What encrypts (recipients or a passphrase) or decrypts (identities or a passphrase)."""

    recipients: tuple[str, ...] = ()
    identities: tuple[str, ...] = ()
    passphrase: str = ""


def read_secret_file(path: str, what: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError as problem:
        raise BackupError(f"cannot read the {what} file {path}: {problem.strerror}") from None


def encrypt(data: bytes, key: Key) -> bytes:
    import pyrage

    if key.recipients:
        try:
            recipients = [pyrage.x25519.Recipient.from_str(r) for r in key.recipients]
        except pyrage.RecipientError:
            raise BackupError("a backup recipient is not an age public key (age1...)") from None
        return pyrage.encrypt(data, recipients)
    if key.passphrase:
        return pyrage.passphrase.encrypt(data, key.passphrase)
    raise BackupError("no key: set BACKUP_RECIPIENTS (age public keys) or "
                      "BACKUP_PASSPHRASE_FILE, or pass --recipient / --passphrase-file")


def decrypt(data: bytes, key: Key) -> bytes:
    import pyrage

    try:
        if key.identities:
            try:
                identities = [pyrage.x25519.Identity.from_str(i) for i in key.identities]
            except pyrage.IdentityError:
                raise BackupError("the identity file holds no age secret key "
                                  "(AGE-SECRET-KEY-...)") from None
            return pyrage.decrypt(data, identities)
        if key.passphrase:
            return pyrage.passphrase.decrypt(data, key.passphrase)
    except pyrage.DecryptError:
        raise BackupError("this key does not open the backup (or the file is not an "
                          "age-encrypted backup)") from None
    raise BackupError("no key: set BACKUP_IDENTITY_FILE or BACKUP_PASSPHRASE_FILE, "
                      "or pass --identity / --passphrase-file")


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    executor = MigrationExecutor(connections[using])
    return sorted([app, name] for app, name in executor.recorder.applied_migrations())


class ExactEncoder(json.JSONEncoder):
    """JSON for Django's "python" serialization, to the microsecond (Django's own JSON
    serializer rounds times to the millisecond: a restore would not be the same data)."""

    def default(self, value):
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, (decimal.Decimal, uuid.UUID)):
            return str(value)
        return super().default(value)


def _models():
    """Every stored model, in an order where what is referred to comes first."""
    from django.core.serializers import sort_dependencies

    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    models = [model for model in sort_dependencies(app_list, allow_cycles=True)
              if not model._meta.proxy and model._meta.managed]
    # Many-to-many rows as rows of their own table (with their ids), after both sides.
    through = [field.remote_field.through for model in models
               for field in model._meta.local_many_to_many
               if field.remote_field.through._meta.auto_created]
    return models + through


def _rows(model, using):
    """The rows a backup keeps: no credentials, no invitation that still lets someone in."""
    rows = model._base_manager.using(using).order_by(model._meta.pk.name)
    if model._meta.label_lower == "members.invite":
        rows = rows.filter(used_at__isnull=False)
    return rows


def _left_out(using) -> dict:
    """Who a restore logs out, by what of theirs the backup leaves out."""
    from django.contrib.sessions.models import Session

    now = timezone.now()
    with_session = set()
    for session in Session.objects.using(using).filter(expire_date__gt=now).iterator():
        member_id = session.get_decoded().get("_auth_user_id")
        if member_id is not None:
            with_session.add(str(member_id))
    names = dict(Member.objects.using(using).values_list("pk", "username"))
    tokens = ApiToken.objects.using(using).live(now).values_list("member__username", flat=True)
    return {"sessions": sorted(names[int(pk)] for pk in with_session if pk.isdigit()
                               and int(pk) in names),
            "api_tokens": sorted(set(tokens)),
            "invites": Invite.objects.using(using).usable(now).count()}


def _seal_secrets(objects: list[dict]) -> None:
    for obj in objects:
        field = SEALED_FIELDS.get(obj["model"])
        if field and obj["fields"].get(field):
            obj["fields"][field] = SEALED_PREFIX + seal(obj["fields"][field]).decode()


def _unseal_secrets(objects: list[dict]) -> tuple[list[dict], list]:
    """The objects with their second-factor secrets opened; those no seal key opens are left
    out (with their recovery codes), and their members' ids returned."""
    kept, lost_members, lost_devices = [], set(), set()
    for obj in objects:
        field = SEALED_FIELDS.get(obj["model"])
        value = obj["fields"].get(field) if field else None
        if isinstance(value, str) and value.startswith(SEALED_PREFIX):
            try:
                obj["fields"][field] = unseal(value[len(SEALED_PREFIX):].encode())
            except Unreadable:
                if obj["model"] == "otp_totp.totpdevice":
                    lost_members.add(obj["fields"]["user"])
                else:
                    lost_devices.add(obj["fields"]["device"])
                continue
        kept.append(obj)
    static = {obj["pk"]: obj["fields"]["user"] for obj in kept
              if obj["model"] == "otp_static.staticdevice"}
    lost_members |= {static[d] for d in lost_devices if d in static}
    return kept, sorted(lost_members)


def _sequences(using) -> dict[str, int]:
    """The highest id each table has ever given, whether or not that row still exists."""
    connection = connections[using]
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: int(seq) for name, seq in cursor.fetchall()}
        if connection.vendor != "postgresql":
            return {}
        for model in _models():
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT pg_sequence_last_value(%s::regclass)", [sequence])
                last = cursor.fetchone()[0]  # None: the sequence never gave an id
                if last is not None:
                    found[model._meta.db_table] = int(last)
    return found


def _set_sequences(sequences: dict[str, int], using) -> None:
    """Never give an id lower than the highest the backed-up database had given."""
    connection = connections[using]
    tables = {model._meta.db_table: model for model in _models()}
    with connection.cursor() as cursor:
        for table, highest in sequences.items():
            model = tables.get(table)
            if model is None or not isinstance(highest, int) or highest < 1:
                continue
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                               [highest, table])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                                   [table, highest])
            elif connection.vendor == "postgresql":
                column = model._meta.pk.column
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    present = model._base_manager.using(using).aggregate(top=Max("pk"))["top"] or 0
                    cursor.execute("SELECT setval(%s, %s)", [sequence, max(highest, present)])


def dump(using: str = DEFAULT_DB_ALIAS) -> bytes:
    """The whole database as the backup's plain (unencrypted) bytes, less what logs anyone in."""
    from django.core import serializers

    objects = []
    with transaction.atomic(using=using):  # one consistent snapshot (PostgreSQL, SQLite)
        for model in _models():
            if model._meta.label_lower in CREDENTIALS:
                continue
            kept = [field.name for field in model._meta.fields if not field.primary_key]  # no m2m
            objects += serializers.serialize("python", _rows(model, using).iterator(), fields=kept)
        migrations = applied_migrations(using)
        left_out = _left_out(using)
        sequences = _sequences(using)
    _seal_secrets(objects)
    document = {"format": FORMAT, "version": VERSION, "made": timezone.now().isoformat(),
                "migrations": migrations, "objects": objects, "left_out": left_out,
                "sequences": sequences}
    return gzip.compress(json.dumps(document, cls=ExactEncoder, separators=(",", ":")).encode(),
                         mtime=0)


def _load_objects(objects: list[dict], using: str) -> None:
    """What ``loaddata`` does, from the exact "python" serialization, a table at a time."""
    from django.core import serializers
    from django.core.management.color import no_style

    connection = connections[using]
    by_model: dict[type, list] = {}
    for row in serializers.deserialize("python", objects, using=using):
        by_model.setdefault(type(row.object), []).append(row.object)
    with connection.constraint_checks_disabled():
        for model, rows in by_model.items():
            # A raw insert, as loaddata's raw save: the stored values as they were (no
            # auto_now), but 500 rows a statement (bulk_create would refresh auto_now).
            fields = model._meta.concrete_fields
            manager = model._base_manager.using(using)
            for start in range(0, len(rows), 500):
                manager._insert(rows[start:start + 500], fields=fields, using=using, raw=True)
    connection.check_constraints(table_names=[model._meta.db_table for model in by_model])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
            cursor.execute(statement)


def do_backup(path: Path, key: Key) -> int:
    """Write an encrypted backup to ``path`` (readable by its owner only); rows written."""
    plain = dump()
    sealed = encrypt(plain, key)
    document = json.loads(gzip.decompress(plain))
    path = Path(path)
    temporary = path.with_name(path.name + ".partial")
    temporary.touch(mode=0o600)
    temporary.chmod(0o600)
    temporary.write_bytes(sealed)
    temporary.replace(path)  # all or nothing: a half-written backup never has the name
    return len(document["objects"])


def load(plain: bytes) -> dict:
    try:
        document = json.loads(gzip.decompress(plain))
    except (OSError, ValueError):
        raise BackupError("the file opens but is not a sinfronteras backup") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("the file opens but is not a sinfronteras backup")
    if document.get("version") != VERSION:
        raise BackupError(f"backup format version {document.get('version')} is not "
                          f"{VERSION}: restore it with the version that made it")
    return document


def rows_in_use(using: str = DEFAULT_DB_ALIAS) -> int:
    """Rows in the database other than what migrate makes by itself."""
    tables = set(connections[using].introspection.table_names())
    total = 0
    for model in apps.get_models():
        if model._meta.label_lower in BOOKKEEPING or model._meta.db_table not in tables:
            continue
        total += model._base_manager.using(using).count()
    return total


def _migrate_to(migrations: list[list[str]], using: str) -> None:
    """Bring the schema to the state the backup was made at (forward or back)."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    wanted = _squashed_names({tuple(m) for m in migrations}, executor.loader)
    unknown = sorted(m for m in wanted if m not in graph.nodes)
    if unknown:
        raise BackupError(f"the backup was made by a newer version (migration "
                          f"{unknown[0][0]}.{unknown[0][1]} is unknown here): upgrade first")
    leaves = [node for node in wanted if not any(child.key in wanted
                                                for child in graph.node_map[node].children)]
    apps_in_backup = {app for app, _name in wanted}
    targets = leaves + [(app, None) for app in executor.loader.migrated_apps
                        if app not in apps_in_backup]
    executor.migrate(targets)


def _squashed_names(wanted: set[tuple[str, str]], loader) -> set[tuple[str, str]]:
    """The backup's migrations as this version names them: those a squashed migration replaces
    (a backup made before the squash names them) by the squashed one."""
    named = set(wanted)
    for key, squashed in loader.replacements.items():
        replaced = set(squashed.replaces) & named
        if not replaced:
            continue
        if replaced != set(squashed.replaces):
            app, name = max(replaced)
            raise BackupError(f"the backup was made by an older version (it stops at migration "
                              f"{app}.{name}, since squashed into {key[1]}): restore it with "
                              "the version that made it, upgrade, and back up again")
        named = (named - replaced) | {key}
    return named


@dataclass(frozen=True)
class Restored:
    """What a restore did, and who must do what again (usernames)."""

    rows: int
    sessions: tuple[str, ...] = ()
    api_tokens: tuple[str, ...] = ()
    invites: int = 0
    second_factor: tuple[str, ...] = ()

    def sentences(self) -> list[str]:
        said = ["Everyone must log in again: a backup holds no session."]
        if self.sessions:
            said.append(f"Logged in when the backup was made: {', '.join(self.sessions)}.")
        if self.api_tokens:
            said.append(f"Must make new API tokens: {', '.join(self.api_tokens)}.")
        if self.invites:
            said.append(f"Invitations not yet used, to send again: {self.invites}.")
        if self.second_factor:
            said.append("No seal key here opens their second factor, so they set it up again "
                        f"at their next login: {', '.join(self.second_factor)}.")
        return said


def do_restore(path: Path, key: Key, *, force: bool = False,
               using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Check and restore a backup; what was restored and who must log in again. Refuses a
    database in use unless forced."""
    try:
        sealed = Path(path).read_bytes()
    except OSError as problem:
        raise BackupError(f"cannot read {path}: {problem.strerror}") from None
    document = load(decrypt(sealed, key))
    in_use = rows_in_use(using) if applied_migrations(using) else 0
    if in_use and not force:
        raise BackupError(f"the database is not empty ({in_use} rows): restore into an empty "
                          "database, or pass --force to replace everything in it")
    objects, lost = _unseal_secrets(document["objects"])
    _migrate_to(document["migrations"], using)
    try:
        with transaction.atomic(using=using):  # all of it, or nothing changed
            call_command("flush", database=using, interactive=False, verbosity=0,
                         inhibit_post_migrate=True)
            _load_objects(objects, using)
            _set_sequences(document.get("sequences") or {}, using)
    except (DeserializationError, IntegrityError, ValueError) as problem:
        raise BackupError(f"the backup does not load: {str(problem).splitlines()[0]}") from None
    call_command("migrate", database=using, interactive=False, verbosity=0)
    refresh_statistics(using)
    left_out = document.get("left_out") or {}
    names = dict(Member.objects.using(using).filter(pk__in=lost).values_list("pk", "username"))
    return Restored(rows=len(objects), sessions=tuple(left_out.get("sessions", ())),
                    api_tokens=tuple(left_out.get("api_tokens", ())),
                    invites=int(left_out.get("invites", 0)),
                    second_factor=tuple(sorted(names.values())))
