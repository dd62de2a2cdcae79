"""A burst of strangers' SMS at a production server: the gateway is a black hole (it
takes the connection and never answers, as a phone gone off the network), and signed
webhooks arrive all at once. Shared by tests/sms/test_sms_burst.py (behaviour) and
bench/bench_sms_burst.py (timings)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
import urllib.error
import urllib.request

SIGNING_KEY = "a-production-signing-key"


class BlackHole:
    """A TCP listener that accepts connections and never answers; counts them."""

    def __init__(self):
        self.accepted = 0
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._open: list[socket.socket] = []
        threading.Thread(target=self._run, daemon=True).start()

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1]

    def _run(self):
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.accepted += 1
            self._open.append(connection)

    def close(self):
        self._socket.close()
        for connection in self._open:
            connection.close()


def sms_env(hole: BlackHole) -> dict:
    return {"SMS_GATEWAY_URL": f"http://127.0.0.1:{hole.port}/message",
            "SMS_GATEWAY_USER": "sms", "SMS_GATEWAY_PASSWORD": "gateway-password",
            "SMS_WEBHOOK_KEY": SIGNING_KEY, "SMS_HASH_KEY": secrets.token_urlsafe(24)}


def post_stranger_sms(base: str, index: int) -> tuple[int, bytes, float]:
    """One signed ``sms:received`` from a number nobody added: (status, body, seconds)."""
    body = json.dumps({"deviceId": "d", "event": "sms:received", "id": f"burst-{index}-{secrets.token_hex(4)}",
                       "payload": {"messageId": "m", "message": "HOLA", "phoneNumber": f"+1310555{index:04d}",
                                   "simNumber": 1, "receivedAt": "2026-12-06T05:00:00.000Z"},
                       "webhookId": "w"}).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(SIGNING_KEY.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{base}/sms/webhook/", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Signature": signature, "X-Timestamp": stamp,
        "X-Forwarded-Proto": "https"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def burst(base: str, count: int) -> list[tuple[int, bytes, float]]:
    """``count`` strangers' SMS at once, each from its own thread."""
    results: list = [None] * count

    def one(index):
        results[index] = post_stranger_sms(base, index)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
