"""A Web Push service on loopback, and a browser's side of a subscription, for the tests.

The service is a real HTTP server in a thread. It takes what a push service takes (RFC
8030: a POST of an aes128gcm body, with TTL and a VAPID Authorization header), checks the
VAPID signature (RFC 8292), and keeps each request. The "browser" makes the P-256 key
pair and the auth secret a browser makes on ``pushManager.subscribe``, so the test can
decrypt what arrived (RFC 8291) with ``http_ece``, as the browser would.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's subscription: its private key and auth secret stay here, in the test."""

    endpoint: str
    private_key: object = field(repr=False)
    auth_secret: bytes = field(repr=False)

    @classmethod
    def make(cls, endpoint):
        from cryptography.hazmat.primitives.asymmetric import ec

        return cls(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        from cryptography.hazmat.primitives import serialization

        return b64url(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        import http_ece

        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret,
                                 version="aes128gcm")
        return json.loads(plain.decode("utf-8"))


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    vapid_key: str  # the public key the request was signed with (checked)
    claims: dict


def verify_vapid(header: str) -> tuple[str, dict]:
    """Check an ``Authorization: vapid t=JWT,k=KEY`` header; the key and the JWT's claims."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    scheme, _, rest = header.partition(" ")
    assert scheme.lower() == "vapid", header[:20]
    parts = dict(item.strip().split("=", 1) for item in rest.split(","))
    head, claims, signature = parts["t"].split(".")
    raw = unb64url(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                  f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    return parts["k"], json.loads(unb64url(claims))


class PushService:
    """``answers``: status codes to give, in order, per path (then 201 Created)."""

    def __init__(self):
        self.received: list[Received] = []
        self.answers: dict[str, list[int]] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key, claims = verify_vapid(self.headers["Authorization"])
                service.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, key, claims))
                queue = service.answers.get(self.path) or []
                status = queue.pop(0) if queue else 201
                self.send_response(status)
                self.send_header("Content-Length", "0")
                if status == 201:
                    self.send_header("Location", f"{self.path}/message")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def device(self, name: str) -> Device:
        return Device.make(f"{self.origin}/push/{name}")

    def to(self, device: Device) -> list[Received]:
        path = device.endpoint.removeprefix(self.origin)
        return [r for r in self.received if r.path == path]
