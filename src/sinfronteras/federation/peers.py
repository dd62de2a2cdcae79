"""What every part of the federation says of a peer: its addresses, its keys, the document other
members learn it by, and its name in a union's ids. Below the services, the delivery and the
inbox, which all use it."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings

from . import keys, signing, wire
from .errors import FederationError
from .models import Peer


def base_url() -> str:
    return settings.FEDERATION_URL.rstrip("/")


def actor_url(slug: str, server: str | None = None) -> str:
    return f"{(server or base_url()).rstrip('/')}/federation/{slug}/actor"


def inbox_url(peer: Peer) -> str:
    return f"{peer.server.rstrip('/')}/federation/{peer.slug}/inbox"


def multikey(public_raw: bytes) -> str:
    """An Ed25519 public key as a Multikey (``z`` + base58btc of 0xed01 + the key)."""
    return "z" + wire.base58(b"\xed\x01" + public_raw)


def from_multikey(value: str) -> bytes:
    raw = wire.unbase58(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
    if len(raw) != 34 or raw[:2] != b"\xed\x01":
        raise FederationError("a key is not an Ed25519 Multikey")
    return raw[2:]


# --- who is who ---------------------------------------------------------------------------------

def local_keys(slug: str) -> list[tuple[str, str]]:
    """(key id, public key) of a local collective, newest first."""
    actor = actor_url(slug)
    return [(signing.key_id(actor, pair), pair.public) for pair in keys.key_pairs(slug)]


def peer_keys(peer: Peer) -> list[tuple[str, str]]:
    if peer.local:
        return local_keys(peer.slug)
    return list(peer.keys.filter(retired_at__isnull=True).order_by("-created_at")
                .values_list("key_id", "public_key"))


def member_document(peer: Peer) -> dict:
    """A member as other members learn it: its actor, server, slug, name and public keys."""
    return {"type": "Member", "id": peer.actor, "server": peer.server, "preferredUsername": peer.slug,
            "name": peer.name,
            "assertionMethod": [{"id": key_id, "type": "Multikey", "controller": peer.actor,
                                 "publicKeyMultibase": multikey(keys.unb64(public))}
                                for key_id, public in peer_keys(peer)]}


def join_activity(peer: Peer, inviter_actor: str, token: str, federation_uid: str = "") -> dict:
    return wire.activity("Join", peer.actor, [inviter_actor], federation_uid or inviter_actor,
                         f"{peer.actor}/join/{secrets.token_hex(8)}",
                         invitation=token, result=member_document(peer))


def label(peer: Peer) -> str:
    """The member's name in a union's ids: its slug and a short hash of its actor (two servers
    may both have a collective called ``la``)."""
    return f"{peer.slug[:40]}-{hashlib.sha256(peer.actor.encode()).hexdigest()[:8]}"
