"""Sending a signed activity to a peer's inbox and checking its signed answer.

HTTPS everywhere, except between loopback addresses (one machine, tests) or where the
``FEDERATION_ALLOW_HTTP`` test setting allows it (production refuses that setting).
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from . import keys, signing
from .wire import MEDIA_TYPE, canonical


class PeerUnreachable(Exception):
    """The peer did not answer (in time), or answered something that is not a signed answer."""


class PeerRefused(Exception):
    """The peer answered, signed, with a refusal (4xx): ``reason`` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"{status}: {reason}")
        self.status, self.reason = status, reason


def is_loopback(host: str) -> bool:
    host = (host or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_allowed(host: str) -> bool:
    return is_loopback(host) or settings.FEDERATION_ALLOW_HTTP


def check_url(url: str) -> str:
    """``url`` if it may be spoken to; ValueError saying why not."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and plain_http_allowed(parts.hostname):
        return url
    if parts.scheme == "http":
        raise ValueError(f"{url}: plain HTTP is only spoken between loopback addresses; use https://")
    raise ValueError(f"{url}: not a web address (https://...)")


@dataclass
class Answer:
    status: int
    document: dict
    key_id: str
    sent: int
    received: int


def post(url: str, document: dict, *, actor: str, slug: str, timeout: float,
         expect_keys) -> Answer:
    """POST ``document`` signed by ``slug``'s key; return the peer's answer, whose signature
    must verify with ``expect_keys(key_id, answer)`` (raising :class:`signing.SignatureRefused`)."""
    check_url(url)
    body = canonical(document)
    if len(body) > settings.FEDERATION_MAX_BODY_BYTES:
        raise PeerUnreachable(f"the message is {len(body)} bytes, over FEDERATION_MAX_BODY_BYTES")
    headers = signing.sign_request("POST", url, body, actor, keys.signing_key(slug))
    headers["Accept"] = MEDIA_TYPE
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    except (OSError, ValueError) as exc:  # refused, reset, timed out, bad address
        raise PeerUnreachable(f"no answer from {urlsplit(url).netloc}: {exc}") from exc
    try:
        raw = response.read(settings.FEDERATION_MAX_BODY_BYTES + 1)
    except OSError as exc:
        raise PeerUnreachable(f"the answer from {urlsplit(url).netloc} broke off: {exc}") from exc
    status = response.status if hasattr(response, "status") else response.code
    got = dict(response.headers.items())
    if len(raw) > settings.FEDERATION_MAX_BODY_BYTES:
        raise PeerUnreachable("the answer is over FEDERATION_MAX_BODY_BYTES")
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise PeerUnreachable(f"the answer from {urlsplit(url).netloc} is not JSON") from exc
    try:
        key_id = signing.verify_response(status, got, raw, signing.Message("POST", url, headers),
                                         lambda kid: expect_keys(kid, answer))
    except signing.SignatureRefused as exc:
        raise PeerUnreachable(f"the answer from {urlsplit(url).netloc} is not signed by the peer: {exc}") from exc
    if not isinstance(answer, dict):
        raise PeerUnreachable("the answer is not a JSON object")
    if status >= 400:
        raise PeerRefused(status, str(answer.get("reason") or answer.get("error") or status)[:300])
    return Answer(status, answer, key_id, len(body), len(raw))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
