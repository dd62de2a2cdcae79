"""What the collective moves: resources, and needs met by offers.

Everything is a need met by an offer (DESIGN.md). A need or an offer names an
area, never an address.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area, Collective
from sinfronteras.web.formats import number

from .bounds import QUANTITY_VALIDATORS, RADIUS_VALIDATORS
from .progress import annotations as progress_annotations
from .progress import progress_of

POSITIVE = QUANTITY_VALIDATORS  # from a thousandth to a million (``bounds``)


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
    #: What it is in a shared vocabulary (a Wikidata item, as FEP-0837 suggests): in a federation
    #: round, resources of the same URI, unit and step are one resource; others stay local.
    uri = models.URLField(_("shared name (Wikidata item)"), max_length=300, blank=True,
                          help_text=_("e.g. http://www.wikidata.org/entity/Q5090 for rice: other "
                                      "collectives' resources with the same one can meet your needs."))

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
        if self.step == 1:
            return ValidationError(_("Write a whole number of %(unit)s."), code="step",
                                   params={"unit": self.unit_label})
        return ValidationError(
            _("Write a whole number of steps of %(step)s %(unit)s (the least that can be handed "
              "over), e.g. %(example)s."), code="step",
            params={"step": number(self.step), "unit": self.unit_label,
                    "example": number(self.step * 3)})

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

    def with_progress(self):
        """Annotate what the need's tasks hold, for :attr:`Need.progress` in one query."""
        return self.annotate(**progress_annotations())

    def in_state(self, state: str):
        """Needs whose progress (``with_progress`` first) is ``state``, by the rule of
        :func:`sharing.progress.state`; urgent is a state of its own here; "" is any."""
        none = Q(delivered_amount=0, on_its_way_amount=0)
        by_state = {
            "open": none & Q(planned_amount=0),
            "planned": none & Q(planned_amount__gt=0),
            "on_its_way": Q(delivered_amount=0, on_its_way_amount__gt=0),
            "partly_delivered": Q(delivered_amount__gt=0),
            "urgent": Q(urgent=True),
        }
        return self.filter(by_state[state]) if state in by_state else self

    def matching(self, text: str):
        """Needs whose resource or poster's display name holds ``text`` (what the
        coordinators' list shows, never an address or a message)."""
        if not text:
            return self
        return self.filter(Q(resource__name_en__icontains=text)
                           | Q(resource__name_es__icontains=text)
                           | Q(posted_by__display_name__icontains=text))

    def visible_to(self, member):
        """Members see their own needs; coordinators see all of their collective's (an
        action's needs belong to the action, not to its organizer)."""
        mine = self.filter(collective_id=member.collective_id)
        return mine if member.is_coordinator else mine.personal(member)

    def personal(self, member):
        """The member's own needs: posted by them, not an action's (organizing) and not a
        project a budget chose (the collective's, ``assembly.ProjectNeed``)."""
        return self.filter(posted_by=member, action_link__isnull=True, project_link__isnull=True)

    def plannable(self, now=None):
        """Open needs a plan may still meet: not those of an action that has begun or
        whose results are recorded (see ``organizing.Action.is_over``)."""
        from django.utils import timezone

        return self.open().exclude(action_link__action__starts_at__lte=now or timezone.now()).exclude(
            action_link__action__results_at__isnull=False)


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=OfferStatus.ACTIVE)

    def visible_to(self, member):
        mine = self.filter(collective_id=member.collective_id)
        return mine if member.is_coordinator else mine.filter(posted_by=member)

    def in_state(self, state: str):
        """Offers of which the plan has promised none, part or all; "" is any."""
        whole = models.F("quantity") * 1000
        by_state = {"unused": Q(committed_milli=0),
                    "partly_used": Q(committed_milli__gt=0, committed_milli__lt=whole),
                    "all_used": Q(committed_milli__gte=whole)}
        return self.filter(by_state[state]) if state in by_state else self

    def matching(self, text: str):
        """Offers one of whose resources, the poster's display name or public place holds
        ``text`` (what the coordinators' list shows; a sealed pickup point never)."""
        if not text:
            return self
        found = self.filter(Q(resources__name_en__icontains=text)
                            | Q(resources__name_es__icontains=text)
                            | Q(posted_by__display_name__icontains=text)
                            | Q(public_place__icontains=text))
        return self.filter(pk__in=found.values("pk"))  # one row per offer, whatever matched


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

    @property
    def progress(self):
        """The need's one status (open, planned, on its way, partly delivered, done), the
        same on every page and in the API; see :mod:`sinfronteras.sharing.progress`."""
        return progress_of(self)


class Offer(models.Model):
    """One or more resources of the same unit; the quantity can go to any mix of them."""

    collective = models.ForeignKey(Collective, models.CASCADE, related_name="offers")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="offers")
    resources = models.ManyToManyField(Resource, related_name="offers")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, validators=POSITIVE)
    area = models.ForeignKey(Area, models.PROTECT, related_name="offers", verbose_name=_("area"))
    radius_km = models.DecimalField(
        _("reach in km"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=RADIUS_VALIDATORS,
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
    #: A public place where it is given (a pantry's door, a church hall): shown in clear
    #: to the people of a task. Never a home: a member's pickup point is sealed instead.
    public_place = models.CharField(
        _("public place"), max_length=200, blank=True,
        help_text=_("Only for an organisation's public place (a pantry, a church), shown to the "
                    "people of a delivery. Never a home: seal a pickup point instead."))
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

    @property
    def is_carrying(self) -> bool:
        """Hours of carrying (a car, a bike): nothing to pick up, so no pickup point."""
        return any(resource.carries for resource in self.resources.all())

    @property
    def picks_up_nothing(self) -> bool:
        """Hours of carrying, or what is given in person (childcare, a ride, legal help): the
        giver goes, nothing is picked up, so a pickup point means nothing."""
        resources = self.resources.all()
        return self.is_carrying or all(resource.in_person for resource in resources)

    @property
    def has_pickup_point(self) -> bool:
        """Whether the giver sealed a pickup point (plans' ``SealedPickup``); never what it says."""
        return hasattr(self, "sealed_pickup")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Mondays")
    TUESDAY = 1, _("Tuesdays")
    WEDNESDAY = 2, _("Wednesdays")
    THURSDAY = 3, _("Thursdays")
    FRIDAY = 4, _("Fridays")
    SATURDAY = 5, _("Saturdays")
    SUNDAY = 6, _("Sundays")


class Slot(models.Model):
    """When an offer can be given or a need received: a weekday and hours ("Saturdays
    10:00–13:00"). A need or an offer without slots can be met at any time."""

    offer = models.ForeignKey(Offer, models.CASCADE, null=True, blank=True, related_name="slots")
    need = models.ForeignKey(Need, models.CASCADE, null=True, blank=True, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(offer__isnull=False) & Q(need__isnull=True))
                | (Q(offer__isnull=True) & Q(need__isnull=False)),
                name="slot_of_one_need_or_offer"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_not_empty"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def span(self) -> tuple[int, object, object]:
        return (self.weekday, self.start, self.end)
