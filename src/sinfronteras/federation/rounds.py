"""A round: the starter gathers every member's signed digest, plans their union, and sends the
plan signed with its certificate; every member verifies it against the same signed digests and
applies only a verified plan, its own part, as a local run does.

Messages (each an activity addressed to one member's actor):

* ``Create(RoundCall)`` starter -> member; the answer is ``Create(Digest)``, the member's
  totals signed by its key (a Data Integrity proof), so that every other member can check them;
* ``Create(RoundPlan)`` starter -> member: the signed digests, the plan, its certificate and the
  round's digest hash (of its inputs and its plan); the answer is ``Accept`` (applied, with the
  hash the member computed) or ``Reject`` (and why): nothing applied.

A peer that does not answer in ``FEDERATION_DEADLINE_SECONDS`` is left out of the round; the rest
is planned. A round never waits for ever.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinfronteras.audit.models import record
from sinfronteras.planning import Problem
from sinfronteras.planning.fedcert import certificate, verify
from sinfronteras.planning.federation import (DigestError, bounds_check, digest, digest_hash, plan_union,
                                              union_problem)
from sinfronteras.planning.shareout import ShareError, share_out
from sinfronteras.plans.compute import _problem, compute
from sinfronteras.plans.models import PlanRun, RunStatus
from sinfronteras.plans.problem import snapshot
from sinfronteras.plans.runs import RunBusy, do_request_run
from sinfronteras.plans.store import PlanChanged, store
from sinfronteras.sharing.models import Resource

from . import keys, signing, wire
from .decisions import round_hours
from .delivery import activity_id, deliver_many
from .errors import Refusal
from .models import MemberState, Peer, PeerState, ReceivedDigest, Round, RoundMember, RoundState
from .peers import label, peer_keys
from .services import FederationError, local_peer
from .transfers import offer_open, record_transfers, resend_confirmations

#: The longest a member that does not answer is skipped before it is tried again.
MAX_BACKOFF = timedelta(days=1)
#: After this long without an answer a member is given up on (shown, never silent).
GIVE_UP_AFTER = timedelta(days=3)


def round_hash(digests: list[dict], plan_doc: dict) -> str:
    """The round's digest: a hash of its inputs (each digest's hash) and its plan."""
    inputs = sorted(digest_hash(d) for d in digests)
    return hashlib.sha256(wire.canonical({"digests": inputs, "plan": plan_doc})).hexdigest()


# --- a member's digest ----------------------------------------------------------------------

def local_problem(collective):
    """The collective's own problem (as a local run reads it), with each resource's shared URI."""
    snap = snapshot(collective)
    uris = {key: uri for key, uri in Resource.objects.filter(collective=collective)
            .values_list("key", "uri")} if _has_uri() else {}
    for row in snap.problem["resources"]:
        if uris.get(row["id"]):
            row["uri"] = uris[row["id"]]
    return snap, _problem(snap)


def _has_uri() -> bool:
    return any(f.name == "uri" for f in Resource._meta.get_fields())


def signed_digest(peer: Peer, round_uid: str) -> tuple[dict, dict]:
    """(the signed Digest object, the local problem document it was made from)."""
    snap, problem = local_problem(peer.collective)
    members = peer.collective.members.filter(is_active=True).count()
    obj = wire.digest_object(digest(problem, label(peer)), peer.actor, round_uid, members=members)
    pair = keys.signing_key(peer.slug)
    return wire.sign_object(obj, signing.key_id(peer.actor, pair), pair), problem.to_json()


def answer_call(target: Peer, sender: Peer, document: dict) -> dict:
    """A member's answer to a ``RoundCall``: its signed digest (kept, to check the plan by)."""
    uid = (document.get("object") or {}).get("id")
    if not isinstance(uid, str) or not uid.startswith(f"{sender.actor}/rounds/") or len(uid) > 400:
        raise Refusal(400, "a round's id is <starter actor>/rounds/<id>")
    round_, created = Round.objects.get_or_create(peer=target, uid=uid,
                                                  defaults={"federation": target.federation})
    if not created and round_.state != RoundState.COLLECTING:
        raise Refusal(409, "this round was already answered")
    signed, problem_doc = signed_digest(target, uid)
    Round.objects.filter(pk=round_.pk).update(local_problem=problem_doc, local_digest=signed)
    Peer.objects.filter(pk=sender.pk).update(last_answered_at=timezone.now(), failures=0, next_try_at=None)
    return wire.activity("Create", target.actor, [sender.actor], signed,
                         f"{target.actor}/activities/digest-{secrets.token_hex(8)}")


def check_digest(federation, obj, round_uid: str, author: Peer | None = None) -> dict:
    """The digest a signed ``Digest`` object carries, once its author, proof, round and bounds
    are checked; FederationError naming what is wrong."""
    if not isinstance(obj, dict) or obj.get("type") != "Digest":
        raise FederationError("the answer carries no digest")
    if author is None:
        author = Peer.objects.filter(federation=federation, actor=obj.get("attributedTo"),
                                     state=PeerState.ACTIVE).first()
        if author is None:
            raise FederationError("a digest is by a collective that is not an active member")
    if obj.get("attributedTo") != author.actor or obj.get("round") != round_uid:
        raise FederationError(f"the digest of {author.slug} is of another round or another author")
    published = dict(peer_keys(author))
    try:
        public = published.get(wire.object_signer(obj))
        if public is None:
            raise wire.WireError("its proof names a key the author never published")
        wire.check_object(obj, public)
        digest = wire.digest_from_object(obj)
    except wire.WireError as exc:
        raise FederationError(f"the digest of {author.slug} is refused: {exc}") from exc
    if digest.get("collective") != label(author):
        raise FederationError(f"the digest of {author.slug} names another collective")
    members = obj.get("memberCount")
    if not (isinstance(members, int) and not isinstance(members, bool) and members >= 1):
        members = None  # a digest that says no size is bounded as the largest collective
    if reasons := bounds_check(digest, members=members):
        raise FederationError(f"the digest of {author.slug} is over the bounds: {reasons[0]}")
    return digest


# --- the starter ----------------------------------------------------------------------------

def round_due(me: Peer, now=None) -> bool:
    """Whether ``me`` should start a round now: the members take turns by their names' order,
    the first after the federation's round hours (as its collective decided, by default the
    ``FEDERATION_ROUND_HOURS`` setting) since the last round it saw, the second after twice that
    (if the first is down), and so on; no coordinator, and never two at once by design."""
    now = now or timezone.now()
    every = timedelta(hours=round_hours(me.federation))
    order = sorted(label(p) for p in me.federation.peers.filter(state=PeerState.ACTIVE))
    rank = order.index(label(me)) if label(me) in order else len(order)
    last = Round.objects.filter(peer=me).order_by("-created_at").first()
    since = last.created_at if last else me.joined_at
    return now - since >= every * (1 + rank)


def _backing_off(peer: Peer, now) -> str:
    if peer.local or not peer.next_try_at or peer.next_try_at <= now:
        return ""
    if peer.last_answered_at and now - peer.last_answered_at > GIVE_UP_AFTER:
        return f"given up on: no answer since {peer.last_answered_at:%Y-%m-%d}"
    return f"not answering: tried again after {peer.next_try_at:%Y-%m-%d %H:%M} UTC"


def _missed(peer: Peer, now) -> None:
    failures = peer.failures + 1
    wait = min(MAX_BACKOFF, timedelta(minutes=2 ** min(failures, 12)))
    Peer.objects.filter(pk=peer.pk).update(failures=failures, next_try_at=now + wait)


def do_round(collective, *, timeout: float | None = None, plan_hook=None, ray=None) -> dict:
    """Run a round from ``collective``: gather, plan, send, and wait for every member's answer.

    ``ray``: plan the union on its sparse core on Ray (True: a local Ray; a string: a cluster's
    address); by default the planner chooses (its sparse core above a size).

    ``plan_hook(union, plan_doc, cert)`` may replace the plan and certificate before they are
    sent (the tests of a dishonest starter use it).
    """
    clock = [time.monotonic()]
    timings = {}

    def lap(name):
        clock.append(time.monotonic())
        timings[name] = round(clock[-1] - clock[-2], 2)

    timeout = float(timeout or settings.FEDERATION_DEADLINE_SECONDS)
    me = local_peer(collective)
    now = timezone.now()
    uid = f"{me.actor}/rounds/{secrets.token_hex(12)}"
    members = list(me.federation.peers.filter(state=PeerState.ACTIVE))
    waiting = {p.pk: why for p in members if (why := _backing_off(p, now))}
    asked = [p for p in members if p.pk not in waiting]
    call = {"type": "RoundCall", "id": uid, "federation": me.federation.uid,
            "deadline": (now + timedelta(seconds=timeout)).isoformat()}
    answers = deliver_many(me, asked, lambda t: wire.activity(
        "Create", me.actor, [t.actor], call, activity_id(me, "call")), timeout=timeout)
    mine = Round.objects.get(peer=me, uid=uid)
    Round.objects.filter(pk=mine.pk).update(started_here=True)
    state = {p.pk: ("left_out", why) for p, why in ((p, waiting[p.pk]) for p in members if p.pk in waiting)}
    digests, signed, sizes = [], [], {}
    for outcome in answers:
        peer = outcome.peer
        sizes[peer.pk] = [outcome.sent, outcome.received]
        if outcome.answer is None:
            state[peer.pk] = ("left_out", outcome.error or "no answer")
            if not peer.local:
                _missed(peer, now)
            continue
        try:
            obj = outcome.answer.get("object")
            digests.append(check_digest(me.federation, obj, uid, peer))
            signed.append(obj)
            ReceivedDigest.objects.update_or_create(round=mine, peer=peer, defaults={
                "signed_digest": obj, "digest_hash": _hash(digests[-1])})
            Peer.objects.filter(pk=peer.pk).update(last_answered_at=timezone.now(), failures=0,
                                                   next_try_at=None)
            state[peer.pk] = ("planned", "")
        except FederationError as exc:
            state[peer.pk] = ("refused", str(exc))
    lap("collect_s")
    plan_obj = _plan_object(me, uid, digests, signed, state, plan_hook, ray)
    lap("plan_and_certify_s")
    results = deliver_many(me, [p for p in members if state.get(p.pk, ("",))[0] == "planned"],
                           lambda t: wire.activity("Create", me.actor, [t.actor], plan_obj,
                                                   activity_id(me, "plan")), timeout=timeout)
    for outcome in results:
        peer = outcome.peer
        sizes[peer.pk][0] += outcome.sent
        sizes[peer.pk][1] += outcome.received
        answer = outcome.answer or {}
        if answer.get("type") == "Accept" and answer.get("digestHash") == plan_obj["digestHash"]:
            continue
        why = answer.get("reason") or outcome.error or "it applied another round's digest"
        state[peer.pk] = ("left_out" if outcome.answer is None and not outcome.refused else "refused", why)
    lap("verify_and_apply_s")
    applied = [p for p in members if state.get(p.pk, ("",))[0] == "planned"]
    _announce_applied(me, uid, applied, sizes, timeout)
    lap("transfers_s")
    return {**_finish(mine, members, state, sizes, plan_obj), "timings": timings}


def _announce_applied(me: Peer, uid: str, applied: list[Peer], sizes: dict, timeout: float) -> None:
    """Tell every member that applied the round which others did: each then offers its
    transfers to those takers, one message per taker, all members at once (and sends again a
    confirmation they may have missed)."""
    if len(applied) < 2:
        return
    obj = {"type": "RoundApplied", "id": f"{uid}/applied", "round": uid, "members": [p.actor for p in applied]}
    for outcome in deliver_many(me, applied, lambda t: wire.activity(
            "Announce", me.actor, [t.actor], obj, activity_id(me, "applied")), timeout=timeout):
        sizes[outcome.peer.pk][0] += outcome.sent
        sizes[outcome.peer.pk][1] += outcome.received
    # Called inside a transaction, a local member's offers wait for its commit: made here.
    for peer in applied if transaction.get_connection().in_atomic_block else []:
        if peer.local:
            others = [p for p in applied if p.pk != peer.pk]
            offer_open(peer, others)
            resend_confirmations(peer, others)


def answer_applied(target: Peer, sender: Peer, document: dict) -> dict:
    """Every member named has applied the round: offer them what this collective gives them in
    it (once this activity is stored), and send again the confirmations they have not taken."""
    obj = document.get("object") or {}
    uid = obj.get("round")
    if not isinstance(uid, str) or not uid.startswith(f"{sender.actor}/rounds/"):
        raise Refusal(400, "a round is announced applied by its starter only")
    round_ = Round.objects.filter(peer=target, uid=uid, state=RoundState.APPLIED).first()
    if round_ is None:
        raise Refusal(409, "this collective has not applied this round")
    named = obj.get("members") if isinstance(obj.get("members"), list) else []
    others = list(Peer.objects.filter(federation=target.federation, state=PeerState.ACTIVE,
                                      actor__in=[a for a in named if isinstance(a, str)][:1000])
                  .exclude(pk=target.pk))
    transaction.on_commit(lambda: (offer_open(target, others), resend_confirmations(target, others)))
    return {"type": "Accept", "id": f"{target.actor}/activities/answer-{secrets.token_hex(8)}",
            "actor": target.actor, "to": [sender.actor], "object": document.get("id")}


def _hash(d: dict) -> str:
    return digest_hash(d)


def _plan_object(me: Peer, uid: str, digests, signed, state, plan_hook, ray=None) -> dict:
    union = union_problem(digests)
    plan_doc = plan_union(union, ray=ray).to_json()  # all arcs where they fit: faster than the core
    cert = certificate(union, plan_doc)  # from the document: the plan is written out once
    if plan_hook is not None:
        plan_doc, cert = plan_hook(union, plan_doc, cert)
    obj = {"type": "RoundPlan", "id": f"{uid}/plan", "round": uid, "attributedTo": me.actor,
           "digests": signed, "plan": plan_doc, "certificate": cert,
           "digestHash": round_hash(digests, plan_doc)}
    pair = keys.signing_key(me.slug)
    return wire.sign_object(obj, signing.key_id(me.actor, pair), pair)


def _finish(mine: Round, members, state, sizes, plan_obj) -> dict:
    rows = []
    for peer in members:
        kind, why = state.get(peer.pk, ("left_out", "no answer"))
        member_state = {"planned": MemberState.PLANNED, "refused": MemberState.REFUSED}.get(
            kind, MemberState.LEFT_OUT)
        sent, received = sizes.get(peer.pk, [0, 0])
        RoundMember.objects.update_or_create(round=mine, peer=peer, defaults={
            "state": member_state, "reason": why[:300], "bytes_sent": sent, "bytes_received": received,
            "digest_hash": plan_obj["digestHash"] if kind == "planned" else ""})
        rows.append({"collective": peer.slug, "server": peer.server,
                     "state": "planned" if kind == "planned" else f"left out: {why}",
                     "bytes_sent": sent, "bytes_received": received})
    mine.refresh_from_db()
    return {"round": mine.uid, "members": rows, "digest": plan_obj["digestHash"],
            "applied": mine.state == RoundState.APPLIED, "plan": plan_obj["plan"],
            "digests": plan_obj["digests"]}


# --- a member, given the plan -----------------------------------------------------------------

def answer_plan(target: Peer, sender: Peer, document: dict) -> dict:
    """Verify the round's plan against the signed digests, then apply this collective's part;
    ``Accept`` with the hash computed here, or ``Reject`` and why (nothing applied)."""
    obj = document.get("object") or {}
    uid = obj.get("round")
    round_ = Round.objects.filter(peer=target, uid=uid).first()
    if round_ is None or round_.state != RoundState.COLLECTING:
        raise Refusal(409, "this collective was not asked for a digest in this round, or already answered")
    reply_id = f"{target.actor}/activities/answer-{secrets.token_hex(8)}"
    try:
        union, plan_doc, digest_hash = verify_plan(target, sender, round_, obj)
        run = apply_plan(target, round_, union, plan_doc)
    except FederationError as exc:
        Round.objects.filter(pk=round_.pk).update(state=RoundState.REFUSED, reason=str(exc)[:300],
                                                  finished_at=timezone.now())
        record(target.collective, "federation.round_refused", data={"reason": str(exc)[:200]})
        return {"type": "Reject", "id": reply_id, "actor": target.actor, "to": [sender.actor],
                "object": uid, "reason": str(exc)[:300]}
    Round.objects.filter(pk=round_.pk).update(state=RoundState.APPLIED, digest_hash=digest_hash,
                                              union_plan=plan_doc, run=run, finished_at=timezone.now())
    record(target.collective, "federation.round_applied", data={"digest": digest_hash})
    return {"type": "Accept", "id": reply_id, "actor": target.actor, "to": [sender.actor],
            "object": uid, "digestHash": digest_hash}


def verify_plan(target: Peer, sender: Peer, round_: Round, obj: dict):
    """(union, plan document, round hash) once every check passes; FederationError otherwise."""
    published = dict(peer_keys(sender))
    try:
        public = published.get(wire.object_signer(obj))
        if public is None or obj.get("attributedTo") != sender.actor:
            raise wire.WireError("its proof is not by the round's starter")
        wire.check_object(obj, public)
    except wire.WireError as exc:
        raise FederationError(f"the plan is refused: {exc}") from exc
    signed = obj.get("digests")
    if not isinstance(signed, list) or not signed:
        raise FederationError("the plan carries no digests")
    own = [d for d in signed if isinstance(d, dict) and d.get("attributedTo") == target.actor]
    if len(own) != 1 or wire.canonical(own[0]) != wire.canonical(round_.local_digest):
        raise FederationError("the plan is not made on this collective's digest as it was sent")
    digests = [check_digest(target.federation, d, round_.uid) for d in signed]
    try:
        union = union_problem(digests)
    except DigestError as exc:
        raise FederationError(f"the digests do not make one problem: {exc}") from exc
    plan_doc, cert = obj.get("plan"), obj.get("certificate")
    if not isinstance(plan_doc, dict):
        raise FederationError("the round carries no plan")
    reasons = verify(union, plan_doc, cert)
    if reasons:
        raise FederationError(f"the plan is not proved optimal: {reasons[0]}")
    digest_hash = round_hash(digests, plan_doc)
    if digest_hash != obj.get("digestHash"):
        raise FederationError("the round's digest hash differs from the one computed here")
    return union, plan_doc, digest_hash


def apply_plan(target: Peer, round_: Round, union, plan_doc: dict):
    """This collective's part of the plan, stored as a local run stores its plan (one
    transaction: a worker killed here changes nothing)."""
    try:
        share = share_out(Problem.from_json(round_.local_problem), plan_doc, label(target), union=union)
    except ShareError as exc:
        raise FederationError(f"this collective's part cannot be shared out: {exc}") from exc
    local_doc = share.plan.to_json()
    collective = target.collective
    try:
        run = do_request_run(collective, enqueue=False)
    except RunBusy as exc:
        raise FederationError(f"a plan run of this collective is in progress: {exc}") from exc
    PlanRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(),
                                             heartbeat_at=timezone.now(), stage="federation")
    try:
        # The run and the transfers in one transaction; the transfers are offered once every
        # member has applied the round (``answer_applied``).
        _store_share(run, collective, round_, local_doc,
                     then=lambda: record_transfers(target, round_, share.transfers))
    except FederationError as exc:
        PlanRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(),
                                                 error=str(exc)[:300])
        raise
    return run


def _store_share(run, collective, round_: Round, local_doc: dict, then=lambda: None) -> None:
    def solve(snap, problem):
        if _without_uri(problem.to_json()) != _without_uri(round_.local_problem):
            raise FederationError("needs or offers changed since the digest was sent: "
                                  "the next round plans them")
        return local_doc

    try:
        with transaction.atomic():
            outcome = compute(collective, solve=solve)
            store(run, outcome)
            then()
    except PlanChanged as exc:
        raise FederationError(f"needs changed while the round was planned: {exc}") from exc


def _without_uri(problem_doc: dict) -> bytes:
    resources = [{k: v for k, v in r.items() if k != "uri"} for r in problem_doc.get("resources", [])]
    return wire.canonical({**problem_doc, "resources": resources})
