"""Start-up checks of our own (`check`, `check --deploy`, and `serve`, which runs the latter).

- Every key file in use opens: the seal keys, the SMS hash key and the VAPID key. An
  empty or unreadable file fails here, at start-up, instead of a 500 at every seal.
- Production refuses what only a laptop or a test may use: the demo's simulated SMS
  phone, and push to a loopback service.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks


def _read(path: Path, what: str, hint: str, errors: list) -> bytes | None:
    """The file's bytes, or None (and an error) when it cannot be read or is empty."""
    try:
        content = path.read_bytes()
    except OSError as problem:
        errors.append(checks.Error(f"The {what} file {path} cannot be read ({problem.strerror}).",
                                   hint=hint, id="sinfronteras.E001"))
        return None
    if not content.strip():
        errors.append(checks.Error(f"The {what} file {path} is empty.", hint=hint,
                                   id="sinfronteras.E002"))
        return None
    return content


@checks.register(checks.Tags.security)
def key_files(app_configs=None, **kwargs):
    errors: list = []
    if not settings.SEAL_KEYS and Path(settings.SEAL_KEY_FILE).exists():
        content = _read(Path(settings.SEAL_KEY_FILE), "seal key", "Put a key made by "
                        "`sinfronteras newsealkey` in it, one a line, newest first.", errors)
        if content is not None:
            from cryptography.fernet import Fernet

            for line in filter(None, (line.strip() for line in content.splitlines())):
                try:
                    Fernet(line)
                except (ValueError, TypeError):
                    errors.append(checks.Error(
                        f"The seal key file {settings.SEAL_KEY_FILE} holds a line that is not a "
                        "Fernet key.", hint="Make one with `sinfronteras newsealkey`.",
                        id="sinfronteras.E003"))
                    break
    if not settings.SMS_HASH_KEY and Path(settings.SMS_HASH_KEY_FILE).exists():
        content = _read(Path(settings.SMS_HASH_KEY_FILE), "SMS hash key",
                        "Put at least 16 random characters in it.", errors)
        if content is not None and len(content.strip()) < 16:
            errors.append(checks.Error(
                f"The SMS hash key file {settings.SMS_HASH_KEY_FILE} holds fewer than 16 "
                "characters.", hint="Put at least 16 random characters in it.",
                id="sinfronteras.E004"))
    if not settings.VAPID_PRIVATE_KEY and Path(settings.VAPID_KEY_FILE).exists():
        content = _read(Path(settings.VAPID_KEY_FILE), "VAPID key",
                        "Make one with `sinfronteras newvapidkeys --file PATH`.", errors)
        if content is not None:
            from cryptography.hazmat.primitives import serialization

            try:
                serialization.load_pem_private_key(content, password=None)
            except (ValueError, TypeError):
                errors.append(checks.Error(
                    f"The VAPID key file {settings.VAPID_KEY_FILE} is not a PEM private key.",
                    hint="Make one with `sinfronteras newvapidkeys --file PATH`.",
                    id="sinfronteras.E005"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def nothing_for_laptops_in_production(app_configs=None, **kwargs):
    errors = []
    if settings.SMS_DEMO_PHONE:
        errors.append(checks.Error(
            "SMS_DEMO_PHONE is on: the demo's simulated phone is for `make demo` only.",
            hint="Unset SMS_DEMO_PHONE and set SMS_GATEWAY_URL to the collective's gateway.",
            id="sinfronteras.E010"))
    if getattr(settings, "PUSH_LOOPBACK_FOR_TESTS", False):
        errors.append(checks.Error(
            "PUSH_LOOPBACK_FOR_TESTS is on: push would go to services on this machine.",
            hint="Unset PUSH_LOOPBACK_FOR_TESTS: it is for the tests' push service only.",
            id="sinfronteras.E011"))
    return errors
