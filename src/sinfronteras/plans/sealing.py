"""Seal and unseal addresses with keys that never touch the database.

Keys are Fernet keys (AES-128-CBC with HMAC-SHA256), newest first, from
``SEAL_KEYS`` or from ``SEAL_KEY_FILE`` (one a line). Rotation: put a new key
first, run ``sinfronteras rotatekeys`` (re-encrypts every sealed address with
it), then drop the old key. On a laptop without keys, a key file is made once
in ``var/``, readable only by its owner.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sinfronteras.web.keyfiles import make_once


class Unreadable(Exception):
    """No configured key opens this ciphertext (a key was dropped too early)."""


def _keys() -> list[bytes]:
    if settings.SEAL_KEYS:
        return [key.encode() for key in settings.SEAL_KEYS]
    path = Path(settings.SEAL_KEY_FILE)
    if not path.exists():
        from cryptography.fernet import Fernet

        make_once(path, Fernet.generate_key() + b"\n")
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[bytes, ...]):
    from cryptography.fernet import Fernet, MultiFernet

    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "SEAL_KEYS / SEAL_KEY_FILE holds a key that is not a Fernet key "
            "(32 url-safe base64 bytes): make one with `sinfronteras newsealkey`.") from None


def fernet():
    keys = tuple(_keys())
    if not keys:
        raise ImproperlyConfigured("No sealing key: set SEAL_KEYS or SEAL_KEY_FILE.")
    return _fernet(keys)


def seal(text: str) -> bytes:
    return fernet().encrypt(text.encode("utf-8"))


def unseal(token: bytes) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return fernet().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken:
        raise Unreadable("no configured key opens this sealed address") from None


def reseal(token: bytes) -> bytes:
    """The same plaintext, encrypted with the newest key."""
    from cryptography.fernet import InvalidToken

    try:
        return fernet().rotate(bytes(token))
    except InvalidToken:
        raise Unreadable("no configured key opens this sealed address") from None
