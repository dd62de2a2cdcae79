"""Proposals, ballots and decisions: how the members decide together.

A proposal has a kind (how it is counted), its options, a voting window, a quorum
(a share of the collective's active members) and a ballot mode. A secret ballot
is stored with no link to the voter: no voter, no time of day, a random key; who
voted is recorded apart (:class:`Participation`), and a database constraint lets
each member vote once. Closing a proposal stores its :class:`Decision` with the
whole tally, so the reasoning can be read and recounted later.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.federation.services import FederationError, parse_code
from sinfronteras.members.models import Area, Collective
from sinfronteras.sharing.models import Resource


class Kind(models.TextChoices):
    CONSENT = "consent", _("consent (agree, abstain, disagree, block)")
    MAJORITY = "majority", _("majority (yes or no)")
    RANKED = "ranked", _("ranked choice")
    APPROVAL = "approval", _("approval")
    SCORE = "score", _("score (0 to 5)")
    BUDGET = "budget", _("participatory budget")


#: Kinds answered yes or no: only these may change a planning setting.
YES_NO = (Kind.CONSENT, Kind.MAJORITY)
#: Kinds that choose among options given by the proposer.
WITH_OPTIONS = (Kind.RANKED, Kind.APPROVAL, Kind.SCORE, Kind.BUDGET)


class Rule(models.TextChoices):
    """Counting rules, named as ``sinfronteras tally --rule`` names them."""

    SCHULZE = "schulze", _("Schulze (Condorcet)")
    RANKED_PAIRS = "ranked-pairs", _("ranked pairs")
    IRV = "irv", _("instant runoff")
    STV = "stv", _("single transferable vote (several seats)")
    EQUAL_SHARES = "mes-add1", _("Method of Equal Shares")
    GREEDY = "greedy", _("greedy by votes")


RANKED_RULES = (Rule.SCHULZE, Rule.RANKED_PAIRS, Rule.IRV, Rule.STV)
BUDGET_RULES = (Rule.EQUAL_SHARES, Rule.GREEDY)


class Change(models.TextChoices):
    """What a passed yes/no proposal changes in the planner (see ``do_change_setting``)."""

    NONE = "", _("nothing: it only records the decision")
    BASIC = "basic", _("make a resource a basic need")
    NOT_BASIC = "not_basic", _("make a resource not a basic need")
    RETENTION = "retention_days", _("how many days fulfilled needs are kept")
    RADIUS = "default_radius_km", _("the default reach of an offer")
    QUORUM = "default_quorum", _("the quorum of proposals")
    HORIZON = "horizon_days", _("how many days ahead a need's or an offer's date may be")
    PICKUP = "pickup_hours", _("how many hours a giver has to give a pickup point")
    COORDINATOR = "coordinator", _("make a member a coordinator")
    MEMBER = "member", _("make a coordinator a member again")
    REMOVE = "remove", _("remove a member from the collective")
    ORGANISATION = "organisation", _("mark an account as an organisation's: it does not vote")
    PERSON = "person", _("mark an account as a person's again")
    # -- How long a vote stays open, and what one carrier can take on.
    MIN_VOTING = "min_voting_hours", _("how many hours a proposal stays open at least")
    LIVE_ADDRESSES = "carrier_live_addresses", _("how many live addresses one carrier sees at most")
    CARRY_HOURS = "carrier_hours_week", _("how many hours a week one member can offer for carrying")
    CARRY_REACH = "carrier_reach_km", _("the farthest reach of a carrying offer")
    CARRY_AREAS = "carrier_areas", _("how many areas one member can offer carrying from")
    # Federation (issue 18): applied by the system when passed, written in the audit log.
    FED_CREATE = "federation_create", _("start a federation")
    FED_JOIN = "federation_join", _("join a federation with an invitation code")
    FED_LEAVE = "federation_leave", _("leave the federation")
    FED_SUSPEND = "federation_suspend", _("suspend a member collective of the federation")
    FED_RESUME = "federation_resume", _("end the suspension of a member collective")
    FED_ROUND_HOURS = "federation_round_hours", _("how many hours between the federation's rounds")


#: Changes that name the member they are about.
ROLE_CHANGES = (Change.COORDINATOR, Change.MEMBER, Change.REMOVE, Change.ORGANISATION, Change.PERSON)
#: Changes of the collective's federation (``sinfronteras.federation.decisions``).
FEDERATION_CHANGES = (Change.FED_CREATE, Change.FED_JOIN, Change.FED_LEAVE, Change.FED_SUSPEND,
                      Change.FED_RESUME, Change.FED_ROUND_HOURS)
#: Changes of a setting of the plan or of how the collective decides.
SETTING_CHANGES = (Change.BASIC, Change.NOT_BASIC, Change.RETENTION, Change.RADIUS, Change.QUORUM,
                   Change.HORIZON, Change.MIN_VOTING, Change.LIVE_ADDRESSES, Change.CARRY_HOURS,
                   Change.CARRY_REACH, Change.CARRY_AREAS, Change.PICKUP)
#: Whole-number settings: (least, most) a proposal may set them to.
WHOLE_SETTINGS = {Change.MIN_VOTING: (1, 720), Change.LIVE_ADDRESSES: (1, 50),
                  Change.CARRY_HOURS: (1, 168), Change.CARRY_REACH: (1, 1000), Change.CARRY_AREAS: (1, 50),
                  Change.PICKUP: (1, 168), Change.FED_ROUND_HOURS: (1, 168)}


class BallotMode(models.TextChoices):
    # Short: a select on a phone shows one line (the help text says the rest).
    OPEN = "open", _("open")
    SECRET = "secret", _("secret")


class Status(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class ProposalQuerySet(models.QuerySet):
    def of(self, member):
        return self.filter(collective_id=member.collective_id)

    def due(self, now=None):
        """Open proposals whose voting window has passed."""
        return self.filter(status=Status.OPEN, closes_at__lte=now or timezone.now())


class Proposal(models.Model):
    collective = models.ForeignKey(Collective, models.CASCADE, related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                               related_name="proposals")
    title = models.CharField(_("question"), max_length=140)
    body = models.TextField(_("what and why"), max_length=4000, blank=True)
    kind = models.CharField(_("how to decide"), max_length=16, choices=Kind.choices)
    rule = models.CharField(_("counting rule"), max_length=16, choices=Rule.choices, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("how many to choose"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)])
    quorum = models.DecimalField(
        _("quorum"), max_digits=3, decimal_places=2, default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the collective's active members who must vote."))
    ballot_mode = models.CharField(
        _("ballot"), max_length=8, choices=BallotMode.choices, default=BallotMode.SECRET,
        help_text=_("Secret: nobody can link a ballot to a member, and nothing is counted until "
                    "voting closes. Open: members see who voted what."))
    hide_results = models.BooleanField(
        _("hide results until voting closes"), default=True,
        help_text=_("A secret ballot always hides them."))
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(_("voting closes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # What a passed yes/no proposal changes, and the pooled resource of a budget.
    change = models.CharField(_("if it passes, it changes"), max_length=24, choices=Change.choices,
                              blank=True, default=Change.NONE)
    change_value = models.DecimalField(_("new value"), max_digits=7, decimal_places=2,
                                       null=True, blank=True)
    resource = models.ForeignKey(Resource, models.RESTRICT, null=True, blank=True,
                                 related_name="proposals", verbose_name=_("resource"))
    #: The member a change of role (or a removal) is about.
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("member"))
    #: A federation change: the name of the federation to start, the invitation code to join
    #: with, or the member collective (a federation peer) to suspend or resume.
    federation_name = models.CharField(_("name of the new federation"), max_length=100, blank=True)
    federation_code = models.CharField(_("invitation code"), max_length=2000, blank=True)
    peer = models.ForeignKey("federation.Peer", models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("member collective"))
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=3, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0.001"))])
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=0) & Q(quorum__lte=1),
                                   name="proposal_quorum_is_a_share"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="proposal_window_not_empty"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_past_window(self) -> bool:
        return self.closes_at <= timezone.now()

    @property
    def is_secret(self) -> bool:
        return self.ballot_mode == BallotMode.SECRET

    @property
    def results_visible(self) -> bool:
        """A secret ballot shows nothing while open: each vote would move the count by one
        voter's ballot. An open one shows results so far unless its author hid them."""
        return not self.is_open or (not self.hide_results and not self.is_secret)

    @property
    def change_is_whole(self) -> bool:
        """A change to a whole-number setting of how long votes stay open or of carrying."""
        return self.change in WHOLE_SETTINGS

    @property
    def invitation(self) -> str:
        """A join proposal's invitation as members read it: the federation and its server (never
        the code's one-time token)."""
        try:
            data = parse_code(self.federation_code)
        except FederationError:
            return ""
        return f"{data['n']} ({urlsplit(data['s']).netloc or data['s']})"

    @property
    def has_options(self) -> bool:
        return self.kind in WITH_OPTIONS

    @property
    def export_format(self) -> str | None:
        """The ballot file a closed proposal can be recounted from: ``toi``, ``pb`` or none."""
        if self.kind in (Kind.RANKED, Kind.APPROVAL):
            return "toi"
        if self.kind == Kind.BUDGET:
            return "pb"
        return None


class Option(models.Model):
    """One option of a proposal; for a participatory budget, a project with its cost and area."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("option"), max_length=120)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=3, null=True, blank=True,
                               validators=[MinValueValidator(Decimal("0.001"))])
    area = models.ForeignKey(Area, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("area"))
    #: For a budget's project: the public place it is brought to (never a home).
    place = models.CharField(_("public place"), max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="option_position_unique"),
            models.UniqueConstraint(fields=["proposal", "label"], name="option_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def project_id(self) -> str:
        """The project's id in a Pabulib file: zero-padded so text order is option order."""
        return f"{self.position + 1:03d}"


class Participation(models.Model):
    """That a member voted on a proposal (never what). One per member: a database constraint.

    On a secret ballot every vote writes the proposal's rows again, in a random order, so
    neither the ids nor where a row lies in the table follow the order of voting
    (``services._reshuffle_participation``).
    """

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="participations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"participation #{self.pk}"


class Ballot(models.Model):
    """What was voted. ``voter`` is set only for an open ballot; a secret one has no link.

    A secret ballot has a random key, no date, and its row's choice is dealt again at
    every vote (``services._cast_secret``): neither its key, nor any column, nor where
    it lies in the table says when, or by whom, it was cast. An open ballot keeps the
    voter and the day. ``choice`` holds option positions:
    ``{"answer": "agree"}``, ``{"ranking": [[0], [2, 1]]}``, ``{"approved": [0, 2]}``
    or ``{"scores": [[0, 5], [1, 3]]}``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="ballots")
    # SET_NULL: a member who leaves takes their name off an open ballot, not their vote.
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+")
    choice = models.JSONField()
    #: The day an open ballot was cast; none for a secret one.
    cast_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], condition=Q(voter__isnull=False),
                                    name="one_open_ballot_per_member"),
        ]

    def __str__(self) -> str:
        return f"ballot on #{self.proposal_id}"


class SealedChoice(models.Model):
    """A secret ballot's choice while voting is open: sealed, padded, with a random key.

    Sealed with the keys that never touch the database (``plans.sealing``), padded to one
    length and with no time (the sealing time is zero), so two copies of the database
    taken around a vote show that a ballot came, never what it says. At close they are
    opened, shuffled together with nothing of their order kept, written as
    :class:`Ballot` rows, and deleted (``closing._open_secret_choices``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="sealed_choices")
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return f"sealed choice on #{self.proposal_id}"


class ProjectNeed(models.Model):
    """A project a participatory budget chose: a need of the collective, not of a member.

    Nobody's own need: it is not on its poster's pages, only coordinators change or
    withdraw it, and it is brought to the public place the proposal named, never to a
    home (it takes no sealed address).
    """

    need = models.OneToOneField("sharing.Need", models.CASCADE, related_name="project_link")
    decision = models.ForeignKey("Decision", models.CASCADE, related_name="project_needs")
    label = models.CharField(_("project"), max_length=120)
    #: A public place (a community fridge, a hall): shown in clear to the people of a task.
    place = models.CharField(_("public place"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"need #{self.need_id} of decision #{self.decision_id}"


class Decision(models.Model):
    """The outcome of a closed proposal, with its tally; its number is the decision's reference."""

    proposal = models.OneToOneField(Proposal, models.CASCADE, related_name="decision")
    passed = models.BooleanField()
    winners = models.JSONField(default=list, blank=True)
    tally = models.JSONField(default=dict, blank=True)
    voters = models.PositiveIntegerField()
    members = models.PositiveIntegerField()
    decided_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"decision #{self.pk}"
