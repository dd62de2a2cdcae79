"""The members' decisions about their federation, applied by the system when a proposal passes.

Six kinds of change (``assembly.models.FEDERATION_CHANGES``): start a federation (to invite
other collectives to), join one with an invitation code, leave it, suspend a member collective, end a suspension, and how many hours
pass between the federation's rounds (the round's rhythm is the members' decision; the
``FEDERATION_ROUND_HOURS`` setting is the default). Each is written in the audit log with the
decision behind it. Suspending a member ends its transfers not yet
accepted; leaving deletes what this collective holds of the federation's digests and plans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinfronteras.audit.models import record

from .models import Federation, Peer, PeerState, ReceivedDigest, Round, Transfer, TransferState
from .services import (FederationError, announce_leave, do_create_federation, do_join, local_peer,
                       parse_code)

#: The fewest and the most hours a decision may put between two rounds.
ROUND_HOURS = (1, 168)


def check_proposal(collective, change: str, code: str, peer: Peer | None) -> str | None:
    """Why this federation change cannot be proposed now (None: it can), for the propose form."""
    in_one = Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT).exists()
    if change == "federation_create":
        return "already" if in_one else None
    if change == "federation_join":
        if in_one:
            return "already"
        try:
            parse_code(code)
        except FederationError:
            return "code"
        return None
    if not in_one:
        return "none"
    if change in ("federation_leave", "federation_round_hours"):
        return None
    me = local_peer(collective)
    if peer is None or peer.federation_id != me.federation_id or peer.pk == me.pk or peer.state == PeerState.LEFT:
        return "peer"
    if change == "federation_suspend" and peer.state == PeerState.SUSPENDED:
        return "suspended"
    if change == "federation_resume" and peer.state != PeerState.SUSPENDED:
        return "not_suspended"
    return None


def apply_federation_change(proposal, decision_ref: int) -> None:
    """Carry out a passed federation proposal; ``FederationError`` (a ``ValueError``) if it cannot."""
    collective, change = proposal.collective, proposal.change
    if change == "federation_create":
        federation, _code = do_create_federation(proposal.federation_name, collective)
        record(collective, "federation.create_decided", decision_ref=decision_ref,
               data={"federation": federation.name, "proposal": proposal.pk})
    elif change == "federation_join":
        federation = do_join(proposal.federation_code, collective)
        record(collective, "federation.join_decided", decision_ref=decision_ref,
               data={"federation": federation.name, "proposal": proposal.pk})
    elif change == "federation_leave":
        do_leave(collective, decision_ref=decision_ref)
    elif change == "federation_round_hours":
        if proposal.change_value is None:
            raise FederationError("the proposal gives no number of hours")
        do_set_round_hours(collective, int(proposal.change_value), decision_ref=decision_ref)
    elif change in ("federation_suspend", "federation_resume"):
        if proposal.peer is None:
            raise FederationError("the member collective of this proposal is no longer known")
        do_set_peer_state(collective, proposal.peer, suspended=change == "federation_suspend",
                          decision_ref=decision_ref)
    else:
        raise FederationError(f"not a federation change: {change}")


def round_hours(federation: Federation) -> int:
    """Hours between the federation's rounds: as decided, else the ``FEDERATION_ROUND_HOURS`` setting."""
    return federation.round_hours or settings.FEDERATION_ROUND_HOURS


@transaction.atomic
def do_set_round_hours(collective, hours: int, *, decision_ref=None) -> Federation:
    """How many hours pass between the federation's rounds, as the members decided; written in
    the audit log with the old and the new rhythm."""
    least, most = ROUND_HOURS
    if not isinstance(hours, int) or isinstance(hours, bool) or not least <= hours <= most:
        raise FederationError(f"give a whole number of hours from {least} to {most}, got {hours!r}")
    me = local_peer(collective)
    federation = Federation.objects.select_for_update().get(pk=me.federation_id)
    old = round_hours(federation)
    federation.round_hours = hours
    federation.save(update_fields=["round_hours"])
    record(collective, "federation.round_hours", decision_ref=decision_ref,
           data={"federation": federation.name, "old": old, "new": hours})
    return federation


@transaction.atomic
def do_set_peer_state(collective, peer: Peer, *, suspended: bool, decision_ref=None) -> Peer:
    """Suspend a member collective (its transfers not yet accepted end) or end its suspension."""
    me = local_peer(collective)
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if peer.federation_id != me.federation_id or peer.pk == me.pk or peer.state == PeerState.LEFT:
        raise FederationError("only another member collective of this federation can be suspended")
    peer.state = PeerState.SUSPENDED if suspended else PeerState.ACTIVE
    peer.save(update_fields=["state"])
    ended = 0
    if suspended:
        ended = (Transfer.objects.filter(round__peer=me, state=TransferState.OFFERED)
                 .filter(giver=peer) | Transfer.objects.filter(round__peer=me, state=TransferState.OFFERED)
                 .filter(taker=peer)).update(state=TransferState.DECLINED, updated_at=timezone.now())
    record(collective, "federation.peer_suspended" if suspended else "federation.peer_resumed",
           decision_ref=decision_ref, data={"member": peer.actor, "name": peer.name, "transfers_ended": ended})
    return peer


@transaction.atomic
def do_leave(collective, *, decision_ref=None) -> None:
    """Leave the federation: this collective's member record ends, what it holds of the
    federation's digests and plans is deleted, its transfers not yet accepted end."""
    me = local_peer(collective)
    announce_leave(me)  # the other servers delete what they hold of its digests
    rounds = Round.objects.filter(peer=me)
    digests = ReceivedDigest.objects.filter(round__in=rounds).delete()[0]
    rounds.update(union_plan=None, local_digest=None, local_problem=None)
    Transfer.objects.filter(round__peer=me, state=TransferState.OFFERED).update(
        state=TransferState.DECLINED, updated_at=timezone.now())
    Peer.objects.filter(pk=me.pk).update(state=PeerState.LEFT)
    record(collective, "federation.left", decision_ref=decision_ref,
           data={"federation": me.federation.name, "digests_deleted": digests})
