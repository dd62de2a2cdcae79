"""Web Push: the VAPID keys, and the channel that sends notes to members' devices.

The encryption (RFC 8291, aes128gcm) and the VAPID signature (RFC 8292) are
pywebpush's and py-vapid's; nothing here touches the cryptography itself.

Keys: ``VAPID_PRIVATE_KEY`` (the raw private key, base64url, as printed by
``sinfronteras newvapidkeys``) with ``VAPID_PUBLIC_KEY``, or ``VAPID_KEY_FILE`` (a
PEM file; on a laptop it is made, readable only by its owner, on first use). Behind
HTTPS a missing key file is not made: push stays off until the operator makes one.
"""

from __future__ import annotations

import base64
import json
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sinfronteras.web.keyfiles import make_once

from .channels import Channel, Gone, Retry
from .endpoints import RefusedEndpoint, Unresolved, check_endpoint

log = logging.getLogger("sinfronteras.notify")

#: How long a push service keeps a note for a device that is off (seconds).
PUSH_TTL = 24 * 3600
#: A push service's answers that mean the subscription is gone for good.
GONE = (404, 410)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_private_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def raw_private(key) -> str:
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def raw_public(key) -> str:
    from cryptography.hazmat.primitives import serialization

    return b64url(key.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint))


def pem_of(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _from_file(path: Path):
    from cryptography.hazmat.primitives import serialization

    if not path.exists():
        if settings.HTTPS:
            return None  # an operator makes keys on purpose: `sinfronteras newvapidkeys --file`
        make_once(path, pem_of(new_private_key()))
    try:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError:
        raise ImproperlyConfigured(f"VAPID_KEY_FILE ({path}) is not a PEM private key: make one "
                                   "with `sinfronteras newvapidkeys --file PATH`.") from None


def _from_env(private: str, public: str):
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        raw = base64.urlsafe_b64decode(private + "=" * (-len(private) % 4))
        if len(raw) != 32:
            raise ValueError
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY is not a raw P-256 private key (32 bytes, "
                                   "base64url): make one with `sinfronteras newvapidkeys`.") from None
    if public and public.rstrip("=") != raw_public(key):
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY: set "
                                   "both from one run of `sinfronteras newvapidkeys`.")
    return key


@lru_cache(maxsize=4)
def _load(private: str, public: str, path: str):
    if private:
        return _from_env(private, public)
    if public:
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY is set without VAPID_PRIVATE_KEY: set both.")
    return _from_file(Path(path))


def vapid_key():
    """The private key, or None where push is not set up."""
    return _load(settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY, settings.VAPID_KEY_FILE)


def public_key() -> str:
    """What the page gives ``pushManager.subscribe`` (base64url, uncompressed point); "" if off."""
    key = vapid_key()
    return raw_public(key) if key is not None else ""


def subject() -> str:
    """The VAPID ``sub`` claim: how a push service reaches the operator."""
    return settings.VAPID_SUBJECT


class PushChannel(Channel):
    name = "push"

    def wants(self, member, kind) -> bool:
        return member.push_subscriptions.exists() and vapid_key() is not None

    def send(self, member, note) -> None:
        from py_vapid import Vapid02
        from pywebpush import WebPushException, webpush
        from requests import RequestException

        subscriptions = member.push_subscriptions.all()
        if note.targets is not None:
            subscriptions = subscriptions.filter(pk__in=[int(t) for t in note.targets])
        subscriptions = list(subscriptions)
        if not subscriptions:
            raise Gone("no device of this member receives push notes")
        from requests import Session, TooManyRedirects

        vapid = Vapid02(vapid_key())
        payload = json.dumps(note.as_dict(), ensure_ascii=False)
        session = Session()
        session.max_redirects = 0  # a push service answers; it never sends us elsewhere
        session.trust_env = False
        sent, gone, refused, again = 0, 0, 0, []
        for subscription in subscriptions:
            try:
                check_endpoint(subscription.endpoint)  # again now: names can change what they resolve to
            except Unresolved:  # DNS down for now: like a push service that does not answer
                again.append(subscription.pk)
                continue
            except RefusedEndpoint:
                subscription.delete()
                gone += 1
                continue
            try:
                webpush(subscription.info(), payload, vapid_private_key=vapid,
                        vapid_claims={"sub": subject()}, ttl=PUSH_TTL, timeout=10,
                        headers={"Urgency": "high" if note.kind == "alert_raised" else "normal"},
                        requests_session=session)
                sent += 1
            except TooManyRedirects:
                refused += 1
            except WebPushException as failure:
                status = getattr(failure.response, "status_code", None)
                if status in GONE:
                    subscription.delete()
                    gone += 1
                elif status is None or status == 429 or status >= 500:
                    again.append(subscription.pk)
                else:
                    refused += 1  # our request was refused (400, 403, 413): trying again won't help
            except RequestException:
                again.append(subscription.pk)
        log.info("push: %d sent, %d gone, %d refused, %d to retry", sent, gone, refused, len(again))
        if again:
            raise Retry("push service unavailable", targets=again)
        if gone and not sent and not refused:
            raise Gone("every device of this member is gone")
