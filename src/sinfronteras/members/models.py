"""Collectives, their areas, their members and the invitations that bring people in.

Collect the least: a member is a login handle, a display name (a pseudonym is
fine), a language, an area and a role. No e-mail, no legal name, nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.sharing.bounds import DEFAULT_HORIZON_DAYS, HORIZON_VALIDATORS


class Collective(models.Model):
    """A collective, with the planning settings its members decided (see ``do_change_setting``)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    retention_days = models.PositiveIntegerField(
        _("days fulfilled needs are kept"), default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    default_radius_km = models.DecimalField(
        _("default reach of an offer in km"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Used when an offer says no reach. Empty: any distance."))
    #: The share of active members who must vote on a proposal; a proposal may ask for more.
    default_quorum = models.DecimalField(
        _("quorum of a proposal"), max_digits=3, decimal_places=2, default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the active members who must vote on a proposal."))
    #: How far ahead a need's or an offer's date may be (``sharing.bounds``).
    horizon_days = models.PositiveIntegerField(
        _("how many days ahead a date may be"), default=DEFAULT_HORIZON_DAYS,
        validators=HORIZON_VALIDATORS)
    # --- decided by vote: how long a giver has to give a pickup point (plans.housekeeping)
    #: A carry whose giver gives no pickup point within these hours of the plan goes back
    #: to the plan.
    pickup_hours = models.PositiveIntegerField(
        _("hours a giver has to give a pickup point"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)])
    # --- end pickup_hours
    # -- Decided by vote: how long a proposal stays open, and what one carrier can take on
    # (``assembly``, ``plans.carriers``, ``sharing.forms``). Kept together for merges.
    #: The least time a proposal stays open for votes, in hours.
    min_voting_hours = models.PositiveIntegerField(
        _("hours a proposal stays open at least"), default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)])
    #: The most live deliveries to addresses one carrier is given at once.
    carrier_live_addresses = models.PositiveIntegerField(
        _("live addresses one carrier sees at most"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)])
    #: The most hours a week one member can offer for carrying, all offers together.
    carrier_hours_week = models.PositiveIntegerField(
        _("hours a week one member can offer for carrying"), default=40,
        validators=[MinValueValidator(1), MaxValueValidator(168)])
    #: The farthest reach of one carrying offer, in km.
    carrier_reach_km = models.PositiveIntegerField(
        _("farthest reach of a carrying offer in km"), default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)])
    #: The most areas one member offers carrying from (one active carrying offer per area).
    carrier_areas = models.PositiveIntegerField(
        _("areas one member can offer carrying from"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)])
    # -- end of the block decided by vote

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A named place of a collective (a neighbourhood). Coarse on purpose: about 1 km."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=100)
    lat = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "name"], name="area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Two decimals of a degree is about 1 km: never store a finer point.
        self.lat, self.lon = round(self.lat, 2), round(self.lon, 2)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    COORDINATOR = "coordinator", _("coordinator")


class MemberManager(BaseUserManager):
    def create_user(self, username, password, *, collective, display_name="", **fields):
        member = self.model(
            username=username,
            collective=collective,
            display_name=display_name or username,
            **fields,
        )
        member.set_password(password)
        member.save(using=self._db)
        return member


class Member(AbstractBaseUser):
    username = models.CharField(
        _("login name"),
        max_length=40,
        unique=True,
        help_text=_("Letters, digits and - _ only. Used to log in; others see your display name."),
    )
    display_name = models.CharField(_("display name"), max_length=60)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    collective = models.ForeignKey(Collective, models.PROTECT, related_name="members")
    area = models.ForeignKey(Area, models.SET_NULL, null=True, blank=True, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    vouched_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="vouched_for"
    )
    is_active = models.BooleanField(default=True)
    #: An organisation's account (a food pantry, a church): it gives and receives, but it
    #: does not vote and is not counted in a proposal's quorum. Only people decide.
    is_organisation = models.BooleanField(_("an organisation"), default=False)
    #: When a decision removed the member; housekeeping erases them after the retention.
    removed_at = models.DateTimeField(null=True, blank=True)
    #: "I need a break": until then the planner treats this member's offers as paused.
    on_break_until = models.DateField(_("on a break until"), null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Login throttling, per account (never per IP address: none is kept).
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = MemberManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name

    def on_break(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.on_break_until is not None and self.on_break_until >= today

    #: Not a field: False on a request that has not earned coordinator power (a session
    #: whose second factor is not entered, a member-scoped API token). Set by the
    #: second-factor middleware and the API's authentication, read by ``is_coordinator``.
    coordinator_power = True

    @property
    def is_coordinator(self) -> bool:
        """Whether this member may use a coordinator's power here and now."""
        return self.role == Role.COORDINATOR and self.coordinator_power

    def save(self, *args, **kwargs):
        # A new password (never a hash upgrade at login: Django clears ``_password``
        # for that) ends every API token, as it ends every other session.
        new_password = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if new_password:
            self.api_tokens.all().delete()

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InviteQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class Invite(models.Model):
    """A single-use, expiring link. Only a hash of the token is stored."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(Member, models.CASCADE, related_name="invites_created")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        Member, models.SET_NULL, null=True, blank=True, related_name="invite_used"
    )

    objects = InviteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"invite #{self.pk} by {self.created_by}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


def token_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        """Tokens that still work: not expired, of a member who is still here."""
        return self.filter(expires_at__gt=now or timezone.now(), member__is_active=True)


class ApiToken(models.Model):
    """A personal token for the JSON API. Only a hash is stored; the token is shown once.

    A token acts as a member unless its scope is ``coordinator`` (made only from a
    session with the second factor entered, see ``do_issue_token``). It expires, and it
    is deleted when its member's password or role changes, or the member goes.
    """

    member = models.ForeignKey(Member, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, member: Member, name: str, *, scope: str = Role.MEMBER,
              days: int | None = None) -> tuple["ApiToken", str]:
        """Make a token (checks none of the rules: ``do_issue_token`` does)."""
        token = "sf_" + secrets.token_urlsafe(30)
        expires_at = timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS)
        row = cls.objects.create(member=member, name=name, token_hash=hash_token(token),
                                 scope=scope, expires_at=expires_at)
        return row, token

    @classmethod
    def member_for(cls, token: str) -> Member | None:
        """The member a live token acts for, with only the power its scope gives; or None."""
        row = cls.objects.live().select_related("member").filter(token_hash=hash_token(token)).first()
        if row is None:
            return None
        member = row.member
        member.coordinator_power = row.scope == Role.COORDINATOR
        return member
