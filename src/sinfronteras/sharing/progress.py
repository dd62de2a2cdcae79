"""A need's one truthful status, the same on every page and in the API.

- **open**: no plan has given it anything yet (or what was planned was given back);
- **planned**: the last plan found some or all of it (how much), nobody has set off;
- **on its way**: someone accepted to bring some or all of it;
- **partly delivered**: some of it came (what came); the rest stays open and is
  planned again;
- **done**: all of it came (the need is fulfilled).

The amounts come from the need's tasks: done tasks delivered, accepted tasks are on
their way, proposed or open tasks are planned; declined, expired and replanned tasks
count for nothing. Lists read them with ``Need.objects.with_progress()`` (one query,
whatever the number of needs); a lone need reads them with one aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.web.formats import amount, number

#: Task states by what they mean for the need (the plans app's TaskState values).
DELIVERED, ON_ITS_WAY, PLANNED = ("done",), ("accepted",), ("proposed", "open")
ZERO, MILLI = Decimal(0), Decimal("0.001")

OPEN, PLANNED_STATE, ON_ITS_WAY_STATE, PARTLY, DONE, WITHDRAWN = (
    "open", "planned", "on_its_way", "partly_delivered", "done", "withdrawn")


def annotations(lone: bool = False) -> dict:
    """The amounts (and the last plan's share) for ``with_progress``; ``lone``: the
    aggregates only, for one need's ``aggregate``."""
    def total(states):
        return Coalesce(Sum("tasks__quantity", filter=Q(tasks__state__in=states)), Value(ZERO))

    return {"delivered_amount": total(DELIVERED), "on_its_way_amount": total(ON_ITS_WAY),
            "planned_amount": total(PLANNED),
            "on_its_way_by": Min("tasks__window_end", filter=Q(tasks__state__in=ON_ITS_WAY)),
            **({} if lone else {"last_fraction": _last_fraction()})}


def _last_fraction():
    """What share of the need the newest finished plan that looked at it found (None: no
    plan has looked at it yet). Read from the plans app's outcomes by name: no import."""
    from django.apps import apps
    from django.db.models import OuterRef, Subquery

    outcomes = apps.get_model("plans", "NeedOutcome").objects.filter(
        need=OuterRef("pk"), run__status="done").order_by("-run_id")
    return Subquery(outcomes.values("fraction")[:1])


@dataclass(frozen=True, eq=False)
class Progress:
    state: str
    quantity: Decimal
    delivered: Decimal
    on_its_way: Decimal
    planned: Decimal
    by: object = None  # when what is on its way should arrive (a datetime) or None
    need: object = None  # for the words (its resource's unit), read only by ``label``
    #: The share the newest plan that looked at the need found; None if none has yet.
    looked: float | None = None

    @property
    def unit(self):
        return self.need.resource if self.need is not None else None

    @property
    def left(self) -> Decimal:
        """What no task holds yet: the next plan looks for it."""
        return max(self.quantity - self.delivered - self.on_its_way - self.planned,
                   ZERO).quantize(MILLI)

    def api(self) -> dict:
        return {"state": self.state, "delivered": self.delivered, "on_its_way": self.on_its_way,
                "planned": self.planned, "left": self.left}

    @property
    def label(self) -> str:
        """The status in the reader's words, with how much."""
        of = {"quantity": amount(self.quantity, self.unit)}
        if self.state == WITHDRAWN:
            return _("withdrawn")
        if self.state == DONE:
            return _("done")
        if self.state == OPEN:
            if self.looked is None:
                return _("open: not planned yet")
            if self.looked < 0.0005:
                return _("open: the last plan found none of it")
            return _("open: the next plan looks for it again")
        if self.state == PLANNED_STATE:
            return _("planned: %(amount)s of %(quantity)s") % {
                **of, "amount": number(self.planned)}
        if self.state == ON_ITS_WAY_STATE:
            text = _("on its way: %(amount)s of %(quantity)s") % {
                **of, "amount": number(self.on_its_way)}
            return text + self._by()
        came = _("partly delivered: %(amount)s of %(quantity)s came") % {
            **of, "amount": number(self.delivered)}
        if self.on_its_way:
            rest = _("the rest: %(amount)s on its way") % {"amount": amount(self.on_its_way, self.unit)}
            return f"{came}; {rest}{self._by()}"
        if self.planned:
            rest = _("the rest: %(amount)s planned") % {"amount": amount(self.planned, self.unit)}
            return f"{came}; {rest}"
        return f"{came}; " + _("the rest stays open for the next plan")

    def _by(self) -> str:
        if self.by is None:
            return ""
        day = django_formats.date_format(timezone.localtime(self.by), "SHORT_DATE_FORMAT")
        return ", " + _("expected by %(day)s") % {"day": day}


def state(status: str, quantity, delivered, on_its_way, planned) -> str:
    """The rule, in one place."""
    if status == "withdrawn":
        return WITHDRAWN
    if status == "fulfilled" or delivered >= quantity:
        return DONE
    if delivered > 0:
        return PARTLY
    if on_its_way > 0:
        return ON_ITS_WAY_STATE
    if planned > 0:
        return PLANNED_STATE
    return OPEN


def progress_of(need) -> Progress:
    if not hasattr(need, "delivered_amount"):
        values = type(need).objects.filter(pk=need.pk).aggregate(**annotations(lone=True))
        for name, value in values.items():
            setattr(need, name, value)
    if not hasattr(need, "last_fraction"):
        need.last_fraction = (type(need).objects.filter(pk=need.pk)
                              .annotate(last=_last_fraction()).values_list("last", flat=True).first())
    delivered, on_its_way, planned = (
        Decimal(str(value or 0)).quantize(MILLI)  # the same on SQLite and PostgreSQL
        for value in (need.delivered_amount, need.on_its_way_amount, need.planned_amount))
    return Progress(state(need.status, need.quantity, delivered, on_its_way, planned),
                    need.quantity, delivered, on_its_way, planned, need.on_its_way_by, need,
                    need.last_fraction)
