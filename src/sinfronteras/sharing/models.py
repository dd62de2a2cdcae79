"""What the collective moves: resources, and needs met by offers.

Everything is a need met by an offer (DESIGN.md). A need or an offer names an
area, never an address.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area, Collective

POSITIVE = [MinValueValidator(Decimal("0.001"))]


class Resource(models.Model):
    """A kind of thing the collective moves, in one unit; basic or not (the members decide)."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="resources")
    key = models.SlugField(max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=80)
    unit = models.CharField(_("unit (English)"), max_length=20)
    #: The unit's Spanish word; empty where it reads the same (kg).
    unit_es = models.CharField(_("unit (Spanish)"), max_length=20, blank=True)
    basic = models.BooleanField(_("basic need"), default=False)
    #: Offers of this resource carry other things between areas (hours of a volunteer
    #: with a car, a bike, a cart): the carriers of the second planning stage.
    carries = models.BooleanField(_("carrying"), default=False)
    #: Given in person (time, a ride, a hand at an action): the giver goes, so a
    #: hand-over between areas needs no carrier.
    in_person = models.BooleanField(_("given in person"), default=False)
    #: The smallest amount that can be handed over (1 pack, 0.5 hours, 0.1 kg); empty: any
    #: amount. Needs, offers and every planned amount of it are whole numbers of steps.
    step = models.DecimalField(
        _("smallest amount"), max_digits=12, decimal_places=3, null=True, blank=True,
        validators=POSITIVE,
        help_text=_("The least that can be handed over: 1 for packs or rides, 0.5 for hours, "
                    "0.1 for kg. Empty: any amount."))

    class Meta:
        ordering = ["-basic", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "key"], name="resource_key_unique"),
            models.CheckConstraint(condition=Q(step__isnull=True) | Q(step__gt=0),
                                   name="resource_step_positive"),
        ]

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en

    @property
    def unit_label(self) -> str:
        """The unit in the language of the page."""
        spanish = (get_language() or "en").startswith("es")
        return (self.unit_es or self.unit) if spanish else self.unit

    def whole(self, quantity) -> bool:
        """Whether ``quantity`` is a whole number of this resource's steps (always, without one)."""
        return not self.step or quantity is None or Decimal(quantity) % self.step == 0

    def step_error(self):
        """The error for a quantity that is not a whole number of steps, naming the step."""
        from django.core.exceptions import ValidationError
        from django.utils.formats import localize

        if self.step == 1:
            return ValidationError(_("Write a whole number of %(unit)s."), code="step",
                                   params={"unit": self.unit_label})
        return ValidationError(
            _("Write a whole number of steps of %(step)s %(unit)s (the least that can be handed "
              "over), e.g. %(example)s."), code="step",
            params={"step": localize(self.step.normalize()), "unit": self.unit_label,
                    "example": localize((self.step * 3).normalize())})

    def __str__(self) -> str:
        return self.name


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    FULFILLED = "fulfilled", _("fulfilled")
    WITHDRAWN = "withdrawn", _("withdrawn")


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn")


class NeedQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=NeedStatus.OPEN)

    def visible_to(self, member):
        """Members see their own needs; coordinators see all of their collective's."""
        mine = self.filter(collective_id=member.collective_id)
        return mine if member.is_coordinator else mine.filter(posted_by=member)


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=OfferStatus.ACTIVE)

    def visible_to(self, member):
        mine = self.filter(collective_id=member.collective_id)
        return mine if member.is_coordinator else mine.filter(posted_by=member)


class Need(models.Model):
    collective = models.ForeignKey(Collective, models.CASCADE, related_name="needs")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="needs")
    resource = models.ForeignKey(Resource, models.PROTECT, related_name="needs",
                                 verbose_name=_("what you need"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, validators=POSITIVE)
    area = models.ForeignKey(Area, models.PROTECT, related_name="needs", verbose_name=_("area"))
    urgent = models.BooleanField(_("urgent"), default=False)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    #: A hash of the request that used ``idempotency_key``: the same key with another is a 409.
    idempotency_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "needed_by", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="need_quantity_positive"),
            models.UniqueConstraint(
                fields=["posted_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="need_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"need #{self.pk}: {self.quantity.normalize():f} {self.resource.unit} {self.resource}"


class Offer(models.Model):
    """One or more resources of the same unit; the quantity can go to any mix of them."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="offers")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="offers")
    resources = models.ManyToManyField(Resource, related_name="offers")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, validators=POSITIVE)
    area = models.ForeignKey(Area, models.PROTECT, related_name="offers", verbose_name=_("area"))
    radius_km = models.DecimalField(
        _("reach in km"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("How far from your area you can give. Empty: any distance."),
    )
    available_until = models.DateField(_("available until"), null=True, blank=True)
    weekly = models.BooleanField(
        _("every week"), default=False,
        help_text=_("The quantity comes back each week (e.g. 3 hours every Saturday)."))
    #: For a weekly offer: the Monday of the week ``committed_milli`` counts.
    week_of = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=16, choices=OfferStatus.choices, default=OfferStatus.ACTIVE)
    #: What live and done tasks already take from this offer, in thousandths of its unit
    #: (whole numbers: exact on every database); never above ``quantity`` (a database
    #: constraint), changed only by atomic updates.
    committed_milli = models.BigIntegerField(default=0, editable=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    #: A hash of the request that used ``idempotency_key``: the same key with another is a 409.
    idempotency_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
            models.CheckConstraint(
                condition=Q(committed_milli__gte=0)
                & Q(committed_milli__lte=models.F("quantity") * 1000 + Decimal("0.5")),
                name="offer_never_over_committed"),
            models.CheckConstraint(
                condition=Q(radius_km__isnull=True) | Q(radius_km__gte=0),
                name="offer_radius_not_negative",
            ),
            models.UniqueConstraint(
                fields=["posted_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="offer_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"offer #{self.pk}"

    @property
    def available(self) -> Decimal:
        return self.quantity - Decimal(self.committed_milli) / 1000

    @property
    def unit_label(self) -> str:
        """The unit of its resources, in the language of the page."""
        first = next(iter(self.resources.all()), None)
        return first.unit_label if first else ""
