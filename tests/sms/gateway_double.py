"""SMS Gateway for Android on loopback, from its published description (docs.sms-gate.app).

A real HTTP server in a thread:

- ``POST /message`` (local server; also ``/3rdparty/v1/messages``) with basic auth and
  ``{"textMessage": {"text": ...}, "phoneNumbers": [...]}`` answers 202 and records the
  SMS it would send (401 for wrong credentials, 400 for a bad body);
- ``POST /webhooks`` with ``{"url": ..., "event": "sms:received"}`` registers a webhook,
  ``GET /webhooks`` lists them;
- ``receive(sender, text)`` is an SMS arriving on the phone: the app posts the
  ``sms:received`` event to every registered URL, signed with HMAC-SHA256 over the
  raw body followed by ``X-Timestamp``, hex in ``X-Signature``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

E164 = re.compile(r"^\+\d{8,15}$")


class LoopbackGateway:
    def __init__(self, user="sms", password="gateway-password", signing_key="signing-key-123"):
        self.user, self.password, self.signing_key = user, password, signing_key
        self.sent: list[dict] = []
        self.webhooks: list[dict] = []
        self.device_id = "ffffffffceb0b1db0000018e937c815b"
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "LoopbackGateway":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def texts_to(self, number: str) -> list[str]:
        return [m["text"] for m in self.sent if number in m["to"]]

    # The phone receives an SMS: the app tells every registered webhook.
    def receive(self, sender: str, text: str, *, key: str | None = None,
                timestamp: int | None = None) -> list[int]:
        statuses = []
        for hook in [h for h in self.webhooks if h["event"] == "sms:received"]:
            body = json.dumps({
                "deviceId": self.device_id, "event": "sms:received",
                "id": secrets.token_urlsafe(15)[:21],
                "payload": {"messageId": secrets.token_hex(4), "message": text,
                            "phoneNumber": sender, "simNumber": 1,
                            "receivedAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds")},
                "webhookId": hook["id"]}).encode()
            stamp = str(int(time.time()) if timestamp is None else timestamp)
            sig = hmac.new((key or self.signing_key).encode(), body + stamp.encode(),
                           hashlib.sha256).hexdigest()
            request = urllib.request.Request(hook["url"], data=body, method="POST", headers={
                "Content-Type": "application/json", "X-Signature": sig, "X-Timestamp": stamp})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        return statuses

    def register_webhook(self, url: str, event: str = "sms:received") -> dict:
        """What docs/operators.md tells an operator to do with curl, through the same API."""
        request = urllib.request.Request(
            f"{self.url}/webhooks", method="POST",
            data=json.dumps({"url": url, "event": event}).encode(),
            headers={"Content-Type": "application/json", "Authorization": self._basic()})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def _basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # the phone's own log is not ours to print
                pass

            def _answer(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorized(self):
                if self.headers.get("Authorization", "") != gateway._basic():
                    self._answer(401, {"message": "Unauthorized"})
                    return False
                return True

            def _json(self):
                length = int(self.headers.get("Content-Length", 0))
                try:
                    return json.loads(self.rfile.read(length))
                except ValueError:
                    return None

            def do_GET(self):
                if self.path != "/webhooks":
                    return self._answer(404, {"message": "Not Found"})
                if self._authorized():
                    self._answer(200, gateway.webhooks)

            def do_POST(self):
                if self.path.split("?")[0] in ("/message", "/3rdparty/v1/messages"):
                    if not self._authorized():
                        return
                    data = self._json()
                    text = (data or {}).get("textMessage", {}).get("text") or (data or {}).get("message")
                    numbers = (data or {}).get("phoneNumbers")
                    if (not isinstance(text, str) or not text or not isinstance(numbers, list)
                            or not numbers or not all(isinstance(n, str) and E164.match(n)
                                                      for n in numbers)):
                        return self._answer(400, {"message": "Bad Request"})
                    gateway.sent.append({"to": numbers, "text": text, "ttl": data.get("ttl")})
                    return self._answer(202, {
                        "id": secrets.token_urlsafe(15)[:21], "state": "Pending",
                        "isHashed": False, "isEncrypted": False,
                        "recipients": [{"phoneNumber": n, "state": "Pending"} for n in numbers]})
                if self.path == "/webhooks":
                    if not self._authorized():
                        return
                    data = self._json() or {}
                    if not data.get("url") or data.get("event") not in (
                            "sms:received", "sms:sent", "sms:delivered", "sms:failed", "system:ping"):
                        return self._answer(400, {"message": "Bad Request"})
                    hook = {"id": data.get("id") or secrets.token_urlsafe(15)[:21],
                            "url": data["url"], "event": data["event"]}
                    gateway.webhooks = [h for h in gateway.webhooks if h["id"] != hook["id"]] + [hook]
                    return self._answer(201, hook)
                self._answer(404, {"message": "Not Found"})

        return Handler
