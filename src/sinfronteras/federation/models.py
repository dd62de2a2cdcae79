"""Federations of collectives, their members (here or on other servers), rounds and transfers.

What another server holds of this one is only what crossed in a round: per-area totals (the
digest), never a person. What this server keeps of a peer is its address, its actor, its
public keys and when it last answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Federation(models.Model):
    """A named set of collectives, on one server or on several, that plan together."""

    name = models.CharField(_("name"), max_length=100)
    #: The same on every member's server: the inviting server's actor and the name.
    uid = models.CharField(max_length=300, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: Hours between rounds, as the collective decided (a ``federation_round_hours`` proposal);
    #: empty: the ``FEDERATION_ROUND_HOURS`` setting.
    round_hours = models.PositiveSmallIntegerField(_("hours between rounds"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class PeerState(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    LEFT = "left", pgettext_lazy("a member collective of a federation", "left")


class Peer(models.Model):
    """A member collective of a federation: this server's own (``collective`` set) or another's."""

    federation = models.ForeignKey(Federation, models.CASCADE, related_name="peers")
    #: The local collective this member is; empty for a collective on another server
    #: (or on this one, seen through its actor only).
    collective = models.ForeignKey("members.Collective", models.CASCADE, null=True, blank=True,
                                   related_name="federation_peers")
    #: The server's base URL, e.g. https://tijuana.example.org
    server = models.CharField(max_length=200)
    #: The collective's slug on its server.
    slug = models.SlugField()
    #: The ActivityPub actor id: <server>/federation/<slug>/actor
    actor = models.CharField(max_length=300)
    name = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=12, choices=PeerState.choices, default=PeerState.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    last_answered_at = models.DateTimeField(null=True, blank=True)
    #: Rounds in a row it did not answer; retried with backoff, given up after days.
    failures = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["federation", "actor"], name="peer_actor_unique")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.slug}@{self.server}"

    @property
    def local(self) -> bool:
        return self.collective_id is not None


class PeerKey(models.Model):
    """An Ed25519 public key of a peer's actor; rotated keys stay until retired."""

    peer = models.ForeignKey(Peer, models.CASCADE, related_name="keys")
    #: The key's id, as signatures name it: <actor>#<fingerprint>
    key_id = models.CharField(max_length=400)
    #: The raw 32-byte public key, base64url without padding.
    public_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "key_id"], name="peer_key_unique")]


class Invitation(models.Model):
    """A code that lets one collective join; only its hash is kept."""

    federation = models.ForeignKey(Federation, models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(Peer, models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class SeenActivity(models.Model):
    """An activity id already accepted: the same id again is a replay (until it expires)."""

    activity_id = models.CharField(max_length=400, unique=True)
    expires_at = models.DateTimeField(db_index=True)


class RoundState(models.TextChoices):
    COLLECTING = "collecting", _("collecting digests")
    PLANNED = "planned", _("planned")
    APPLIED = "applied", _("applied")
    REFUSED = "refused", _("refused")
    LEFT_OUT = "left_out", _("left out")


class Round(models.Model):
    """One round of a federation, as this server saw it (started here or by a peer)."""

    federation = models.ForeignKey(Federation, models.CASCADE, related_name="rounds")
    #: The round's id, the same on every server: <starter actor>/rounds/<uuid>
    uid = models.CharField(max_length=400)
    #: The local member collective this record is for.
    peer = models.ForeignKey(Peer, models.CASCADE, related_name="rounds")
    started_here = models.BooleanField(default=False)
    state = models.CharField(max_length=12, choices=RoundState.choices, default=RoundState.COLLECTING)
    reason = models.CharField(max_length=300, blank=True)
    #: Hash of the round's inputs and plan, as this server computed it.
    digest_hash = models.CharField(max_length=80, blank=True)
    #: This collective's own problem when its digest was made (its own rows, kept here only).
    local_problem = models.JSONField(null=True, blank=True)
    local_digest = models.JSONField(null=True, blank=True)
    union_plan = models.JSONField(null=True, blank=True)
    #: The plan run the applied plan became (plans app).
    run = models.ForeignKey("plans.PlanRun", models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "uid"], name="round_uid_unique")]
        ordering = ["-created_at", "-pk"]


class MemberState(models.TextChoices):
    ASKED = "asked", _("asked")
    PLANNED = "planned", _("planned")
    LEFT_OUT = "left_out", _("left out")
    REFUSED = "refused", _("refused")


class RoundMember(models.Model):
    """How one member took part in a round: planned, left out (why) or refused (why)."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="members")
    peer = models.ForeignKey(Peer, models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=MemberState.choices, default=MemberState.ASKED)
    reason = models.CharField(max_length=300, blank=True)
    #: The hash this member said it computed for the round.
    digest_hash = models.CharField(max_length=80, blank=True)
    bytes_sent = models.PositiveIntegerField(default=0)
    bytes_received = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "peer"], name="round_member_unique")]


class ReceivedDigest(models.Model):
    """A peer's signed digest for a round: totals per area, never a person. Deleted on leaving."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="digests")
    peer = models.ForeignKey(Peer, models.CASCADE, related_name="digests")
    #: The digest exactly as its author signed it (totals only).
    signed_digest = models.JSONField()
    digest_hash = models.CharField(max_length=80)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "peer"], name="received_digest_unique")]


class TransferState(models.TextChoices):
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("expired")
    RECEIVED = "received", _("received")


class Transfer(models.Model):
    """Collective A's offer total -> collective B's need total, handed over at a public place."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="transfers")
    uid = models.CharField(max_length=400)
    giver = models.ForeignKey(Peer, models.CASCADE, related_name="transfers_given")
    taker = models.ForeignKey(Peer, models.CASCADE, related_name="transfers_taken")
    #: The digest keys of the two totals, e.g. "o:rice|a12|r25" and "n:rice|a40|t2".
    offer_key = models.CharField(max_length=200)
    need_key = models.CharField(max_length=200)
    resource = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit = models.CharField(max_length=40, blank=True)
    #: The public hand-over place (a pantry, a community centre): a name and a coarse point.
    place_name = models.CharField(max_length=100, blank=True)
    place_lat = models.FloatField(null=True, blank=True)
    place_lon = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=TransferState.choices, default=TransferState.OFFERED)
    #: The public place's weekly opening hours (public): ``[[weekday, "10:00", "14:00"], ...]``.
    opening_hours = models.JSONField(default=list, blank=True)
    #: When it is handed over: within the place's opening hours, a time the taker's carrier
    #: can (chosen by the taker, sent back in its ``Accept``). Empty until accepted.
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    #: Why it was declined (no public place, no carrier that reaches it), for the plan page.
    reason = models.CharField(max_length=200, blank=True)
    #: The giver's record of the taker's signed confirmation that it was received (and, on the
    #: taker's side, the confirmation it sends).
    confirmation = models.JSONField(null=True, blank=True)
    #: The taker's side: when the giver took the confirmation; empty, it is sent again.
    confirmation_taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "uid"], name="transfer_uid_unique")]

    @property
    def live(self) -> bool:
        return self.state in (TransferState.OFFERED, TransferState.ACCEPTED)


class HandoverState(models.TextChoices):
    WAITING = "waiting", _("waiting for the other collective")
    PROPOSED = "proposed", pgettext_lazy("a hand-over between collectives", "proposed")
    HANDED = "handed", _("handed over")
    RECEIVED = "received", _("received")
    DONE = "done", _("done")
    RELEASED = "released", _("released")


#: A hand-over part still to be carried out (what it holds of its need or offer is held).
LIVE_HANDOVER = (HandoverState.WAITING, HandoverState.PROPOSED, HandoverState.HANDED,
                 HandoverState.RECEIVED)


class Handover(models.Model):
    """One collective's side of a transfer, as a task of its own people.

    On the giver's side: one of its offers gives ``quantity`` at the public place (its giver
    hands it over). On the taker's side: one of its needs receives ``quantity``; its carrier
    picks it up at the public place in the window, then brings it to the person in need.
    Neither side ever learns who the other's people are.
    """

    transfer = models.ForeignKey(Transfer, models.CASCADE, related_name="handovers")
    offer = models.ForeignKey("sharing.Offer", models.CASCADE, null=True, blank=True, related_name="+")
    need = models.ForeignKey("sharing.Need", models.CASCADE, null=True, blank=True, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    #: Who does it: the giver of the offer, or the taker's carrier.
    carrier = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+")
    carrier_offer = models.ForeignKey("sharing.Offer", models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    #: The carrier's hours it takes (taker's side: from the public place to the person in need).
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    state = models.CharField(max_length=10, choices=HandoverState.choices, default=HandoverState.WAITING)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(offer__isnull=False) ^ models.Q(need__isnull=False),
            name="handover_gives_or_takes")]

    def __str__(self) -> str:
        return f"hand-over #{self.pk} ({self.state})"

    @property
    def gives(self) -> bool:
        return self.offer_id is not None
