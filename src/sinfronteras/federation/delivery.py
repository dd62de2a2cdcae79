"""Delivering an activity from a local member to another member: in this process when both
collectives live on this server, else signed over HTTP to the peer's inbox."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from . import keys, signing, transport, wire
from .errors import FederationError, Refusal
from .models import Federation, Peer
from .peers import actor_url, base_url, from_multikey, inbox_url, join_activity, peer_keys


@dataclass
class Outcome:
    """What one delivery came to: an answer, or why there is none."""

    peer: Peer
    answer: dict | None = None
    error: str = ""
    refused: bool = False
    sent: int = 0
    received: int = 0


def activity_id(sender: Peer, what: str) -> str:
    return f"{sender.actor}/activities/{what}-{secrets.token_hex(8)}"


def _key_finder(peer: Peer):
    known = dict(peer_keys(peer))

    def find(key_id: str, _answer=None) -> str:
        if key_id not in known:
            raise signing.SignatureRefused("the answer is signed by a key the peer never published")
        return known[key_id]

    return find


def deliver_many(sender: Peer, targets: list[Peer], build, *, timeout: float) -> list[Outcome]:
    """Send ``build(target)`` to every target at once; wait ``timeout`` seconds at most.

    Local targets are handled here, one after another; remote ones in threads that touch no
    database (their keys are read before).
    """
    from .inbox import handle  # a cycle: the inbox answers through the transfers, which deliver

    outcomes: list[Outcome] = []
    documents = [(target, build(target)) for target in targets]
    remote = [(t, doc, _key_finder(t)) for t, doc in documents if not t.local]
    # Remote members first, in threads that touch no database (their keys are read above),
    # then the local ones here while the others work.
    pool = ThreadPoolExecutor(max_workers=max(1, min(16, len(remote))))
    futures = {pool.submit(transport.post, inbox_url(t), doc, actor=sender.actor, slug=sender.slug,
                           timeout=timeout, expect_keys=find): t for t, doc, find in remote}
    for target, document in documents:
        if not target.local:
            continue
        try:
            answer = handle(target, sender, document)
            outcomes.append(Outcome(target, answer, sent=len(wire.canonical(document)),
                                    received=len(wire.canonical(answer))))
        except Refusal as refusal:
            outcomes.append(Outcome(target, error=refusal.reason, refused=True))
    done, _late = wait(futures, timeout=timeout + 1) if futures else (set(), set())
    for future, target in futures.items():
        if future not in done:
            outcomes.append(Outcome(target, error=f"no answer within {timeout:g} s"))
            continue
        try:
            answer = future.result()
            outcomes.append(Outcome(target, answer.document, sent=answer.sent, received=answer.received))
        except transport.PeerRefused as exc:
            outcomes.append(Outcome(target, error=exc.reason, refused=True))
        except transport.PeerUnreachable as exc:
            outcomes.append(Outcome(target, error=str(exc)[:300]))
    pool.shutdown(wait=False, cancel_futures=True)
    return outcomes


def deliver_join(code: dict, collective) -> dict:
    """Ask the inviter (code ``a`` at server ``s``) to let ``collective`` in; its answer must be
    signed by the key whose fingerprint the code holds."""
    inviter_slug = code["a"].rstrip("/").rsplit("/", 2)[-2]
    url = f"{code['s'].rstrip('/')}/federation/{inviter_slug}/inbox"
    try:
        transport.check_url(url)
    except ValueError as exc:
        raise FederationError(str(exc)) from exc
    keys.key_pairs(collective.slug)
    # Ourselves as the inviter will learn us (not saved: saved once the inviter agrees).
    me = Peer(federation=Federation(name="", uid=""), collective=collective, server=base_url(),
              slug=collective.slug, actor=actor_url(collective.slug), name=collective.name)
    document = join_activity(me, code["a"], code["t"])
    try:
        answer = transport.post(url, document, actor=me.actor, slug=collective.slug,
                                timeout=30, expect_keys=lambda key_id, answer: _inviter_key(code, key_id, answer))
    except transport.PeerRefused as exc:
        raise FederationError(f"the inviting server refused: {exc.reason}") from exc
    except transport.PeerUnreachable as exc:
        raise FederationError(f"the inviting server did not answer: {exc}") from exc
    return answer.document


def _inviter_key(code: dict, key_id: str, answer: dict) -> str:
    """The inviter's public key from its answer, accepted only with the code's fingerprint."""
    if key_id != f"{code['a']}#{code['f']}":
        raise signing.SignatureRefused("the answer is not signed by the key the invitation names")
    for member in (answer.get("object") or {}).get("members") or []:
        for method in member.get("assertionMethod") or [] if isinstance(member, dict) else []:
            if isinstance(method, dict) and method.get("id") == key_id:
                raw = from_multikey(method.get("publicKeyMultibase"))
                if keys.fingerprint(raw) == code["f"]:
                    return keys.b64(raw)
    raise signing.SignatureRefused("the answer does not carry the key the invitation names")
