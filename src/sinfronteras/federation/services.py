"""Federations, invitations, joining, and the keys of the members (``do_*`` change several rows).

An invitation code holds the inviting server's address, its collective's actor, its key's
fingerprint and a one-time token: ``sfed1.<base64url JSON>``. Joining through any member's code
makes the newcomer known to every member (the inviter announces it with an ``Add``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinfronteras.audit.models import record

from . import keys, signing, wire
from .delivery import activity_id, deliver_join, deliver_many
from .errors import FederationError
from .models import Federation, Invitation, Peer, PeerKey, PeerState, ReceivedDigest
from .peers import actor_url, base_url, from_multikey, member_document

CODE_PREFIX = "sfed1."
INVITE_DAYS = 7


def _checked_member(doc) -> dict:
    if not isinstance(doc, dict):
        raise FederationError("a member must be an object")
    actor, server, slug = doc.get("id"), doc.get("server"), doc.get("preferredUsername")
    if not all(isinstance(v, str) and v for v in (actor, server, slug)):
        raise FederationError("a member needs id, server and preferredUsername")
    if actor != actor_url(slug, server):
        raise FederationError("a member's actor must be <server>/federation/<slug>/actor")
    methods = doc.get("assertionMethod")
    if not isinstance(methods, list) or not methods or len(methods) > 5:
        raise FederationError("a member needs one to five keys")
    found = []
    for method in methods:
        raw = from_multikey(method.get("publicKeyMultibase") if isinstance(method, dict) else None)
        if method.get("id") != f"{actor}#{keys.fingerprint(raw)}":
            raise FederationError("a key's id must be <actor>#<fingerprint of the key>")
        found.append((method["id"], keys.b64(raw)))
    return {"actor": actor, "server": server.rstrip("/"), "slug": slug,
            "name": str(doc.get("name") or "")[:100], "keys": found}


def upsert_member(federation: Federation, doc) -> Peer:
    """Add (or refresh the keys of) a remote member from its ``member_document``."""
    info = _checked_member(doc)
    peer, _ = Peer.objects.get_or_create(
        federation=federation, actor=info["actor"],
        defaults={"server": info["server"], "slug": info["slug"], "name": info["name"]})
    if peer.local:
        return peer
    for key_id, public in info["keys"]:
        PeerKey.objects.get_or_create(peer=peer, key_id=key_id, defaults={"public_key": public})
    return peer


def find_key(key_id: str, federation: Federation | None = None) -> tuple[Peer, str]:
    """The peer that signs with ``key_id`` and its public key; refused if unknown or suspended."""
    rows = PeerKey.objects.filter(key_id=key_id, retired_at__isnull=True).select_related("peer")
    if federation is not None:
        rows = rows.filter(peer__federation=federation)
    found = list(rows)
    if not found:
        raise signing.SignatureRefused("unknown key")
    active = [row for row in found if row.peer.state == PeerState.ACTIVE]
    if not active:
        raise signing.KeySuspended("this collective is suspended or has left the federation")
    return active[0].peer, active[0].public_key


# --- invitations ----------------------------------------------------------------------------

def encode_code(data: dict) -> str:
    return CODE_PREFIX + base64.urlsafe_b64encode(wire.canonical(data)).rstrip(b"=").decode()


def parse_code(code: str) -> dict:
    """The parts of an invitation code; FederationError naming what is wrong."""
    code = (code or "").strip()
    if not code.startswith(CODE_PREFIX):
        raise FederationError(f"not an invitation code: it starts with {CODE_PREFIX}")
    try:
        data = json.loads(keys.unb64(code[len(CODE_PREFIX):]))
    except ValueError as exc:
        raise FederationError("the invitation code is cut or mistyped: copy it whole") from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k]
                                             for k in ("s", "a", "f", "t", "n")):
        raise FederationError("the invitation code is incomplete: copy it whole")
    return data


def local_peer(collective, federation: Federation | None = None) -> Peer:
    rows = Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT)
    if federation is not None:
        rows = rows.filter(federation=federation)
    peer = rows.select_related("federation").order_by("-joined_at").first()
    if peer is None:
        raise FederationError(f"collective {collective.slug} is in no federation: "
                              "create one or join one with a code")
    return peer


def do_invite(peer: Peer, *, days: int = INVITE_DAYS) -> str:
    token = secrets.token_urlsafe(24)
    Invitation.objects.create(federation=peer.federation, inviter=peer,
                              token_hash=hashlib.sha256(token.encode()).hexdigest(),
                              expires_at=timezone.now() + timedelta(days=days))
    fingerprint = keys.signing_key(peer.slug).fingerprint
    return encode_code({"s": peer.server, "a": peer.actor, "f": fingerprint, "t": token,
                        "n": peer.federation.name})


def _add_local(federation: Federation, collective) -> Peer:
    peer, _ = Peer.objects.get_or_create(
        federation=federation, actor=actor_url(collective.slug),
        defaults={"collective": collective, "server": base_url(), "slug": collective.slug,
                  "name": collective.name})
    if peer.collective_id != collective.pk or peer.state != PeerState.ACTIVE:
        Peer.objects.filter(pk=peer.pk).update(collective=collective, state=PeerState.ACTIVE)
        peer.refresh_from_db()
    keys.key_pairs(collective.slug)  # made once, now
    return peer


@transaction.atomic
def do_create_federation(name: str, collective) -> tuple[Federation, str]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise FederationError("give the federation a name of 1 to 100 characters")
    if Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT).exists():
        raise FederationError(f"collective {collective.slug} is already in a federation: leave it first")
    uid = f"{actor_url(collective.slug)}/federations/{secrets.token_hex(8)}"
    federation = Federation.objects.create(name=name, uid=uid)
    peer = _add_local(federation, collective)
    record(collective, "federation.created", data={"federation": name})
    return federation, do_invite(peer)


# --- joining --------------------------------------------------------------------------------

def do_join(code: str, collective) -> Federation:
    """Join the federation of ``code`` (talking to the inviter), and learn its members."""
    data = parse_code(code)
    if Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT).exists():
        raise FederationError(f"collective {collective.slug} is already in a federation: leave it first")
    if data["a"] == actor_url(collective.slug):
        raise FederationError("this is the collective's own invitation: give it to another collective")
    if data["s"].rstrip("/") == base_url():  # the inviter lives on this server
        with transaction.atomic():
            inviter = Peer.objects.filter(actor=data["a"], collective__isnull=False).first()
            if inviter is None:
                raise FederationError("this invitation is unknown, used or expired: ask for a new one")
            invitation = take_invitation(data["t"], inviter)
            Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
            do_join_locally(inviter, collective)
        return inviter.federation
    answer = deliver_join(data, collective)
    with transaction.atomic():
        fed_doc = answer.get("object") or {}
        federation, _ = Federation.objects.get_or_create(
            uid=str(fed_doc.get("id") or "")[:300], defaults={"name": str(fed_doc.get("name") or data["n"])[:100]})
        _add_local(federation, collective)
        for member in fed_doc.get("members") or []:
            upsert_member(federation, member)
        record(collective, "federation.joined", data={"federation": federation.name})
    return federation


def take_invitation(token: str, inviter: Peer) -> Invitation:
    """The unused, unexpired invitation of ``token`` (locked); FederationError otherwise."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    invitation = (Invitation.objects.select_for_update()
                  .filter(token_hash=digest, inviter=inviter, used_at__isnull=True,
                          expires_at__gt=timezone.now()).first())
    if invitation is None:
        raise FederationError("this invitation is unknown, used or expired: ask for a new one")
    return invitation


def federation_document(federation: Federation) -> dict:
    return {"type": "Group", "id": federation.uid, "name": federation.name,
            "members": [member_document(p) for p in federation.peers.filter(state=PeerState.ACTIVE)]}


def do_accept_join(inviter: Peer, document: dict) -> dict:
    """The inviter's side of a ``Join``: spend the invitation, add the newcomer, tell the others."""
    invitation = take_invitation(document.get("invitation"), inviter)
    federation = inviter.federation
    newcomer = upsert_member(federation, document.get("result"))
    if newcomer.local:
        raise FederationError("a collective of this server joins from this server's command line")
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    record(inviter.collective, "federation.member_joined", data={"member": newcomer.actor})
    transaction.on_commit(lambda: announce(inviter, newcomer))
    return {"type": "Accept", "actor": inviter.actor, "to": [newcomer.actor],
            "object": federation_document(federation)}


def announce(sender: Peer, newcomer: Peer) -> None:
    """Tell every other remote member of the federation about ``newcomer`` (an ``Add``)."""
    others = [p for p in sender.federation.peers.filter(state=PeerState.ACTIVE, collective__isnull=True)
              if p.pk != newcomer.pk]
    document = member_document(newcomer)
    deliver_many(sender, others, lambda target: wire.activity(
        "Add", sender.actor, [target.actor], document, activity_id(sender, "add"),
        target=sender.federation.uid), timeout=settings.FEDERATION_DEADLINE_SECONDS)


def do_join_locally(peer: Peer, collective) -> Peer:
    """A second collective of this server joins ``peer``'s federation (no message needed)."""
    if Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT).exists():
        raise FederationError(f"collective {collective.slug} is already in a federation: leave it first")
    newcomer = _add_local(peer.federation, collective)
    record(collective, "federation.joined", data={"federation": peer.federation.name})
    announce(peer, newcomer)
    return newcomer


def do_rotate_key(peer: Peer) -> str:
    """A new key pair for ``peer``'s collective: every remote member learns it (an ``Update``
    signed by the current key) before it signs. Returns the new key's fingerprint."""
    new = keys.add_next(peer.slug)
    others = list(peer.federation.peers.filter(state=PeerState.ACTIVE, collective__isnull=True))
    document = member_document(peer)
    outcomes = deliver_many(peer, others, lambda target: wire.activity(
        "Update", peer.actor, [target.actor], document, activity_id(peer, "update")),
        timeout=settings.FEDERATION_DEADLINE_SECONDS)
    keys.promote(peer.slug)
    if peer.collective_id:
        record(peer.collective, "federation.key_rotated",
               data={"key": new.fingerprint, "told": sum(1 for o in outcomes if o.answer is not None),
                     "not_told": sum(1 for o in outcomes if o.answer is None)})
    return new.fingerprint


def update_member(sender: Peer, doc) -> None:
    """A member's own ``Update``: its new keys are learnt, keys it no longer publishes retired."""
    info = _checked_member(doc)
    if info["actor"] != sender.actor:
        raise FederationError("a member updates only itself")
    upsert_member(sender.federation, doc)
    PeerKey.objects.filter(peer=sender, retired_at__isnull=True).exclude(
        key_id__in=[key_id for key_id, _ in info["keys"]]).update(retired_at=timezone.now())


def announce_leave(peer: Peer) -> None:
    """Tell every remote member that ``peer``'s collective leaves (they delete its digests)."""
    others = list(peer.federation.peers.filter(state=PeerState.ACTIVE, collective__isnull=True))
    deliver_many(peer, others, lambda target: wire.activity(
        "Leave", peer.actor, [target.actor], peer.federation.uid, activity_id(peer, "leave")),
        timeout=settings.FEDERATION_DEADLINE_SECONDS)


def peer_left(sender: Peer) -> None:
    """A remote member left: it is marked so, and what this server holds of its digests goes."""
    ReceivedDigest.objects.filter(peer=sender).delete()
    Peer.objects.filter(pk=sender.pk).update(state=PeerState.LEFT)
