"""Typed environment variables. A bad value stops start-up naming the variable.

Every setting that an operator may change is read here, once, through one of
these helpers, so that ``SECRET_KEY=`` or ``HTTPS=perhaps`` fails loudly at
start-up instead of surprising someone later.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of 1, 0, true, false, yes, no."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = _raw(name)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default_sqlite_path: str) -> dict:
    """Parse a database URL (PostgreSQL or SQLite); without one, SQLite at the given path."""
    value = _raw(name)
    if not value:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite_path}
    import dj_database_url

    try:
        config = dj_database_url.parse(value, conn_max_age=60)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL ({exc}); expected e.g. postgres://user@host:5432/dbname."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"{name} names an unsupported database ({engine}); use postgres:// or sqlite://."
        )
    return config
