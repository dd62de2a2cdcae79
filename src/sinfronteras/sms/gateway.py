"""The SMS gateway the collective runs, behind a small interface.

``Gateway`` is what the rest of the app uses: ``send(number, text)`` sends one SMS, and
``verify(request)`` reads an inbound webhook, returning a plain dict for a genuine
request and ``None`` for anything else (forged, stale, malformed). Another gateway is
another subclass and a line in ``configured_gateway``.

``AndroidSmsGateway`` speaks the published API of SMS Gateway for Android
(capcom6/android-sms-gateway, https://docs.sms-gate.app): a message is a JSON
``POST`` with basic auth to ``/message`` (the app's local server) or
``/3rdparty/v1/messages`` (its cloud or private server); an inbound SMS arrives as a
``sms:received`` webhook signed with HMAC-SHA256 over the raw body followed by the
``X-Timestamp`` header (Unix seconds), hex in ``X-Signature``.

Nothing here logs a number or a text: errors say what went wrong, never with whom.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sinfronteras import bounded_json
from sinfronteras.numbers import is_digits

#: An inbound webhook body larger than this is not an SMS.
MAX_BODY = 64 * 1024
#: How long an outbound SMS may wait on the phone before the gateway drops it (seconds):
#: a notification a day late helps nobody.
TTL_SECONDS = 12 * 3600


class GatewayError(Exception):
    """The gateway did not take the message (down, refused, wrong credentials)."""


class Gateway:
    """An SMS gateway: send one SMS; recognise a genuine inbound webhook.

    ``verify`` returns ``{"event": str, "id": str, "sender": str, "text": str}`` for a
    genuine webhook (``sender`` and ``text`` empty for events other than a received
    SMS), or ``None``: forged, stale, or not one of this gateway's webhooks.
    """

    name = ""

    def send(self, number: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def verify(self, request) -> dict | None:  # pragma: no cover - interface
        raise NotImplementedError


def signature(key: str, body: bytes, timestamp: str) -> str:
    """SMS Gateway for Android's webhook signature: hex HMAC-SHA256 of body + timestamp.

    >>> signature("k", b'{"a":1}', "1700000000")[:16]
    '863b3ca22f830ea9'
    """
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


class AndroidSmsGateway(Gateway):
    """SMS Gateway for Android (local, cloud or private server mode)."""

    name = "android-sms-gateway"

    def __init__(self, url: str, user: str, password: str, webhook_key: str, max_age: int):
        self.url, self.webhook_key, self.max_age = url, webhook_key, max_age
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        # The gateway is a phone on the collective's network: no proxy in between.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, number: str, text: str) -> None:
        body = json.dumps({"textMessage": {"text": text}, "phoneNumbers": [number],
                           "ttl": TTL_SECONDS, "withDeliveryReport": False}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Authorization": self._auth, "Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=15) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise GatewayError(f"the SMS gateway cannot be reached ({type(reason).__name__})") from None
        if status == 401:
            raise GatewayError("the SMS gateway refused the credentials: check SMS_GATEWAY_USER "
                               "and SMS_GATEWAY_PASSWORD")
        if not 200 <= status < 300:
            raise GatewayError(f"the SMS gateway answered {status}")

    def verify(self, request) -> dict | None:
        body = request.body
        given = request.headers.get("X-Signature", "")
        timestamp = request.headers.get("X-Timestamp", "")
        if len(body) > MAX_BODY or not given or not is_digits(timestamp) or len(timestamp) > 12:
            return None
        if abs(time.time() - int(timestamp)) > self.max_age:
            return None  # stale (or replayed later): refused even if the signature is right
        if not hmac.compare_digest(signature(self.webhook_key, body, timestamp), given.lower()):
            return None
        try:
            data = bounded_json.loads(body)  # a deeply nested body is refused, not a 500
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("payload", {}), dict):
            return None
        payload = data.get("payload") or {}
        event = str(data.get("event", ""))
        received = event == "sms:received"
        return {"event": event, "id": str(data.get("id", ""))[:40],
                "sender": str(payload.get("phoneNumber") or "") if received else "",
                "text": str(payload.get("message") or "") if received else ""}


def configured_gateway() -> Gateway | None:
    """The collective's gateway, or ``None`` where SMS is not set up."""
    if not settings.SMS_GATEWAY_URL:
        return None
    if not settings.SMS_WEBHOOK_KEY:
        raise ImproperlyConfigured("SMS_GATEWAY_URL is set but SMS_WEBHOOK_KEY is not.")
    return AndroidSmsGateway(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_USER,
                             settings.SMS_GATEWAY_PASSWORD, settings.SMS_WEBHOOK_KEY,
                             settings.SMS_WEBHOOK_MAX_AGE)
