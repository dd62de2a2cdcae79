"""A collective's Ed25519 key pair: made once, kept private like the seal key, never in the database.

The key file holds one private key a line (PEM-less: raw 32 bytes, base64url), newest first.
The newest signs; every key in the file is published on the actor, so that a peer still
holding an older one can verify until it learns the new one (rotation).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from sinfronteras.web.keyfiles import make_once


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fingerprint(public_raw: bytes) -> str:
    """A short, stable name of a public key: the first 16 bytes of its SHA-256, base32."""
    return base64.b32encode(hashlib.sha256(public_raw).digest()[:15]).decode().lower()


@dataclass(frozen=True)
class KeyPair:
    private: object  # cryptography's Ed25519PrivateKey
    public_raw: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    @property
    def public(self) -> str:
        return b64(self.public_raw)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def key_path(slug: str) -> Path:
    return Path(settings.FEDERATION_KEY_DIR) / f"{slug}.ed25519"


def _new_line() -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    key = Ed25519PrivateKey.generate()
    return b64(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).encode() + b"\n"


def _load(line: str) -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.from_private_bytes(unb64(line.strip()))
    return KeyPair(private, private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def key_pairs(slug: str) -> list[KeyPair]:
    """The collective's key pairs, newest first; the first is made on first use."""
    path = key_path(slug)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_once(path, _new_line())
    return [_load(line) for line in path.read_text().splitlines() if line.strip()]


def signing_key(slug: str) -> KeyPair:
    return key_pairs(slug)[0]


#: Keys a collective keeps published after a rotation: the new one and the one before it.
KEPT_KEYS = 2


def _rewrite(slug: str, lines: list[bytes]) -> None:
    path = key_path(slug)
    tmp = path.with_suffix(".new")
    tmp.unlink(missing_ok=True)
    make_once(tmp, b"".join(lines))
    tmp.replace(path)


def add_next(slug: str) -> KeyPair:
    """A new key, published (last) but not yet signing: peers learn it from a message signed
    by the current key, then :func:`promote` makes it the one that signs."""
    key_pairs(slug)
    lines = [line + b"\n" for line in key_path(slug).read_bytes().splitlines() if line.strip()]
    _rewrite(slug, lines + [_new_line()])
    return key_pairs(slug)[-1]


def promote(slug: str) -> KeyPair:
    """The last key signs from now on; the one before it stays published, older ones go."""
    lines = [line + b"\n" for line in key_path(slug).read_bytes().splitlines() if line.strip()]
    _rewrite(slug, ([lines[-1]] + lines[:-1])[:KEPT_KEYS])
    return key_pairs(slug)[0]


def rotate(slug: str) -> KeyPair:
    """A new signing key at once (peers that have not learnt it refuse it until they do)."""
    add_next(slug)
    return promote(slug)


def verify(public: str, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
