"""What a collective's federation looks like from here: members and the last round."""

from __future__ import annotations

from .models import Round
from .services import local_peer


def federation_status(collective) -> dict:
    me = local_peer(collective)
    federation = me.federation
    members = [{"collective": p.slug, "server": p.server, "name": p.name, "state": p.state,
                "local": p.local, "last_answered": p.last_answered_at.isoformat() if p.last_answered_at else None,
                # A member that does not answer is retried with backoff: shown, never silent.
                "missed_rounds": p.failures,
                "next_try": p.next_try_at.isoformat() if p.next_try_at else None}
               for p in federation.peers.all()]
    last = Round.objects.filter(peer=me).first()
    round_ = None
    if last is not None:
        round_ = {"id": last.uid, "digest": last.digest_hash, "state": last.state,
                  "applied": last.state == "applied", "why": last.reason,
                  "started_here": last.started_here,
                  "members": [{"collective": m.peer.slug, "server": m.peer.server, "state": m.state,
                               "why": m.reason} for m in last.members.select_related("peer")]}
    return {"federation": federation.name, "id": federation.uid, "collective": me.slug,
            "members": members, "last_round": round_}
