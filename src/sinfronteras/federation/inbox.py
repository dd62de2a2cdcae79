"""Each collective's actor and inbox (ActivityPub, server to server).

An inbox request is checked whole before anything is stored: its size, its scheme (HTTPS, or
plain HTTP on loopback), its RFC 9421 signature and Content-Digest, its date (five minutes at
most), its key (known, of an active member), its activity (by the key's actor, never seen
before). Then it is handled in one transaction with the record that it was seen: a refusal
rolls both back. Every answer is signed by the collective it was addressed to.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import keys, rounds, signing, transfers, wire
from .errors import Refusal
from .models import Peer, PeerState, SeenActivity
from .peers import member_document
from .services import (FederationError, _checked_member, do_accept_join, find_key, peer_left,
                       update_member, upsert_member)
from .transport import plain_http_allowed

log = logging.getLogger(__name__)
#: How long an accepted activity id is remembered (longer than a signature stays fresh).
SEEN_FOR = timedelta(minutes=15)


def _local(slug: str) -> Peer | None:
    return (Peer.objects.filter(slug=slug, collective__isnull=False).exclude(state=PeerState.LEFT)
            .select_related("federation", "collective").order_by("-joined_at").first())


def actor(request, slug: str):
    """The collective's actor: its inbox and public keys (what a peer needs to check it)."""
    peer = _local(slug)
    if peer is None:
        return JsonResponse({"error": "no such actor"}, status=404)
    if not request.is_secure() and not plain_http_allowed(request.get_host().rsplit(":", 1)[0]):
        return JsonResponse({"error": "use https"}, status=403)
    doc = {"@context": wire.CONTEXT, **member_document(peer), "type": "Group",
           "inbox": f"{peer.actor.rsplit('/', 1)[0]}/inbox"}
    return HttpResponse(wire.canonical(doc), content_type=wire.MEDIA_TYPE)


def _answer(request, url: str, signer: Peer | None, status: int, doc: dict) -> HttpResponse:
    body = wire.canonical(doc)
    response = HttpResponse(body, status=status, content_type=wire.MEDIA_TYPE)
    if signer is not None:
        pair = keys.signing_key(signer.slug)
        request_view = signing.Message(request.method, url, dict(request.headers))
        for name, value in signing.sign_response(status, body, request_view, signer.actor, pair).items():
            response[name] = value
    return response


@csrf_exempt
def inbox(request, slug: str):
    target = _local(slug)
    url = request.build_absolute_uri()
    if request.method != "POST":
        return JsonResponse({"error": "POST signed activities here"}, status=405)
    if target is None:
        return JsonResponse({"error": "no such actor"}, status=404)
    if not request.is_secure() and not plain_http_allowed(request.get_host().rsplit(":", 1)[0]):
        return _answer(request, url, target, 403, {"reason": "use https"})
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    if size > settings.FEDERATION_MAX_BODY_BYTES:
        return _answer(request, url, target, 413, {"reason": "the body is over the bounds"})
    body = request.read(settings.FEDERATION_MAX_BODY_BYTES + 1)
    try:
        document = json.loads(body)
        if not isinstance(document, dict):
            raise ValueError("not an object")
        sender = _authenticate(request, url, body, document)
        with transaction.atomic():
            _remember(document, sender)
            answer = handle(target, sender, document)
    except Refusal as refusal:
        log.warning("federation: refused an activity for %s: %s %s", slug, refusal.status, refusal.reason)
        return _answer(request, url, target, refusal.status, {"reason": refusal.reason})
    except ValueError:
        return _answer(request, url, target, 400, {"reason": "the body is not a JSON object"})
    return _answer(request, url, target, 200, answer)


def _authenticate(request, url: str, body: bytes, document: dict) -> Peer | None:
    """The member that signed the request (None for a ``Join``, signed by the newcomer's own
    key, which it carries); Refusal otherwise."""
    headers = dict(request.headers)
    try:
        if document.get("type") == "Join":
            newcomer = _newcomer_keys(document)
            key_id = signing.verify_request("POST", url, headers, body, lambda kid: newcomer[kid])
            if not key_id.startswith(f"{document.get('actor')}#"):
                raise Refusal(401, "the Join is not signed by the newcomer")
            return None
        found = {}

        def find(key_id: str) -> str:
            try:
                peer, public = find_key(key_id)
            except signing.SignatureRefused as exc:
                found["refused"] = exc  # the library may wrap it: keep its status (401, 403)
                raise
            found["peer"] = peer
            return public

        signing.verify_request("POST", url, headers, body, find)
    except signing.SignatureRefused as exc:
        exc = found.get("refused", exc) if document.get("type") != "Join" else exc
        raise Refusal(exc.status, str(exc)) from exc
    except KeyError as exc:
        raise Refusal(401, "unknown key") from exc
    sender = found["peer"]
    if document.get("actor") != sender.actor:
        raise Refusal(401, "the activity's actor is not the key's")
    return sender


def _newcomer_keys(document: dict) -> dict:
    try:
        return dict(_checked_member(document.get("result"))["keys"])
    except FederationError as exc:
        raise Refusal(400, f"the Join does not describe its member: {exc}") from exc


def _remember(document: dict, sender: Peer | None) -> None:
    """Refuse an activity id seen before (a replay), else remember it (in this transaction)."""
    activity_id = document.get("id")
    actor_id = sender.actor if sender else document.get("actor")
    if not isinstance(activity_id, str) or not activity_id.startswith(f"{actor_id}/") or len(activity_id) > 400:
        raise Refusal(400, "the activity needs an id under its actor")
    now = timezone.now()
    SeenActivity.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            SeenActivity.objects.create(activity_id=activity_id, expires_at=now + SEEN_FOR)
    except IntegrityError as exc:
        raise Refusal(401, "this activity was already received (a replay)") from exc


def handle(target: Peer, sender: Peer | None, document: dict) -> dict:
    """Carry out an authenticated activity addressed to ``target``; its answer (a document)."""
    if target.actor not in (document.get("to") or []):
        raise Refusal(400, "the activity is not addressed to this actor")
    kind, obj = document.get("type"), document.get("object")
    if sender is not None and sender.federation_id != target.federation_id:
        raise Refusal(403, "the sender is not a member of this collective's federation")
    try:
        if kind == "Join":
            return do_accept_join(target, document)
        if kind == "Add" and isinstance(obj, dict) and obj.get("type") == "Member":
            upsert_member(target.federation, obj)
            return {"type": "Accept", "actor": target.actor, "object": document["id"]}
        if kind == "Update" and isinstance(obj, dict) and obj.get("type") == "Member":
            update_member(sender, obj)
            return {"type": "Accept", "actor": target.actor, "object": document["id"]}
        if kind == "Leave" and obj == target.federation.uid:
            peer_left(sender)
            return {"type": "Accept", "actor": target.actor, "object": document["id"]}
        if kind == "Offer" and (isinstance(obj, list) or isinstance(obj, dict) and obj.get("type") == "Agreement"):
            return transfers.answer_offers(target, sender, document)
        if kind == "Reject" and isinstance(obj, dict) and obj.get("type") == "Agreement":
            return transfers.answer_decline(target, sender, document)
        if kind == "Create" and isinstance(obj, dict) and obj.get("type") == "EconomicEvent":
            return transfers.record_confirmation(target, sender, document)
        if kind == "Create" and isinstance(obj, dict) and obj.get("type") == "RoundCall":
            return rounds.answer_call(target, sender, document)
        if kind == "Create" and isinstance(obj, dict) and obj.get("type") == "RoundPlan":
            return rounds.answer_plan(target, sender, document)
        if kind == "Announce" and isinstance(obj, dict) and obj.get("type") == "RoundApplied":
            return rounds.answer_applied(target, sender, document)
    except FederationError as exc:
        raise Refusal(403, str(exc)) from exc
    raise Refusal(400, f"this inbox does not take a {kind} of {type(obj).__name__}")
