"""RFC 9421 HTTP Message Signatures (Ed25519) with an RFC 9530 Content-Digest, both ways.

Every federation request is signed by the sending collective's key, covering the method, the
target URI and the Content-Digest of the body; every answer is signed too, covering its status,
its own Content-Digest and the request's method and target (so an answer cannot be replayed to
another request). A signature older than :data:`MAX_AGE` is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, HTTPSignatureKeyResolver, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException

from . import keys

MAX_AGE = datetime.timedelta(minutes=5)
#: A signature dated this far ahead of our clock is refused as well.
MAX_SKEW = datetime.timedelta(seconds=60)
REQUEST_COMPONENTS = ("@method", "@target-uri", "content-digest", "content-type")
RESPONSE_COMPONENTS = ("@status", "content-digest", "content-type", '"@method";req', '"@target-uri";req')
TAG = "sinfronteras-federation"


class SignatureRefused(Exception):
    """A request or answer whose signature, date or key is not acceptable (401)."""

    status = 401


class KeySuspended(SignatureRefused):
    """The key is known, but its collective is suspended or has left (403)."""

    status = 403


@dataclass
class Message:
    """What the signature library reads of a request or a response."""

    method: str = "POST"
    url: str = ""
    headers: dict = field(default_factory=dict)


class _Signing(HTTPSignatureKeyResolver):
    def __init__(self, pair: keys.KeyPair):
        self.pair = pair

    def resolve_private_key(self, key_id: str):
        return self.pair.private

    def resolve_public_key(self, key_id: str):  # pragma: no cover - signing only
        return None


class _Lookup(HTTPSignatureKeyResolver):
    def __init__(self, find):
        self.find = find

    def resolve_public_key(self, key_id: str):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        return Ed25519PublicKey.from_public_bytes(keys.unb64(self.find(key_id)))

    def resolve_private_key(self, key_id: str):  # pragma: no cover - verifying only
        raise KeyError(key_id)


def key_id(actor: str, pair: keys.KeyPair) -> str:
    return f"{actor}#{pair.fingerprint}"


def sign_request(method: str, url: str, body: bytes, actor: str, pair: keys.KeyPair,
                 *, created: datetime.datetime | None = None) -> dict:
    """The headers of a signed request: Content-Type, Content-Digest, Signature-Input, Signature."""
    message = Message(method, url, {"Content-Type": "application/activity+json"})
    HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_Signing(pair)).sign(
        message, key_id=key_id(actor, pair), covered_component_ids=REQUEST_COMPONENTS, body=body,
        created=created or datetime.datetime.now(datetime.timezone.utc), label="sig1", tag=TAG)
    return dict(message.headers)


def sign_response(status: int, body: bytes, request: Message, actor: str, pair: keys.KeyPair) -> dict:
    response = SimpleNamespace(status_code=status, request=request,
                               headers={"Content-Type": "application/activity+json"})
    HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_Signing(pair)).sign(
        response, key_id=key_id(actor, pair), covered_component_ids=RESPONSE_COMPONENTS, body=body,
        created=datetime.datetime.now(datetime.timezone.utc), label="sig1", tag=TAG)
    return dict(response.headers)


def verify(message, body: bytes, find, required) -> str:
    """Check ``message``'s signature with the key ``find(key_id)`` returns; return the key id.

    ``find`` raises :class:`SignatureRefused` (unknown) or :class:`KeySuspended`.
    """
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519, key_resolver=_Lookup(find))
    try:
        results = verifier.verify(message, max_age=MAX_AGE, expect_tag=TAG, require_components=required,
                                  body=body)
    except SignatureRefused:
        raise
    except (HTTPMessageSignaturesException, ValueError, KeyError, TypeError) as exc:
        raise SignatureRefused(f"signature refused: {exc}") from exc
    if len(results) != 1:
        raise SignatureRefused("exactly one signature is expected")
    created = datetime.datetime.fromtimestamp(int(results[0].parameters["created"]), datetime.timezone.utc)
    if created > datetime.datetime.now(datetime.timezone.utc) + MAX_SKEW:
        raise SignatureRefused("the signature is dated in the future")
    return str(results[0].parameters["keyid"])


def verify_request(method: str, url: str, headers: dict, body: bytes, find) -> str:
    return verify(Message(method, url, headers), body, find, REQUEST_COMPONENTS)


def verify_response(status: int, headers: dict, body: bytes, request: Message, find) -> str:
    response = SimpleNamespace(status_code=status, headers=headers, request=request)
    return verify(response, body, find, RESPONSE_COMPONENTS)
