"""The bounds of what anyone may enter, in one place.

Model validators, forms (pages and the JSON API go through them), API schemas and
commands read these, so a limit and its words are the same everywhere. Dates lie in
a window the collective decides (``Collective.horizon_days``, changed by decision
like the other planning settings): from today to that many days ahead.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

#: Quantities, in the resource's unit: a thousandth to a million (more: post several).
MIN_QUANTITY = Decimal("0.001")
MAX_QUANTITY = Decimal("1000000")
#: A reach of 20,000 km is anywhere on Earth (half its circumference).
MAX_RADIUS_KM = Decimal("20000")
#: Ids fit a 32-bit integer on every database.
MAX_ID = 2**31 - 1
#: Resources one offer may list.
MAX_RESOURCES_PER_OFFER = 20
#: How far ahead a date may be, in days: the default, and what a decision may set.
DEFAULT_HORIZON_DAYS = 365
MIN_HORIZON_DAYS, MAX_HORIZON_DAYS = 7, 3650
#: How far back a date of something that happened (a conversation) may be.
MAX_PAST_DAYS = 366

QUANTITY_VALIDATORS = [
    MinValueValidator(MIN_QUANTITY, message=_("Give at least 0.001.")),
    MaxValueValidator(MAX_QUANTITY, message=_("Give at most 1,000,000; for more, post it in "
                                              "several parts.")),
]
RADIUS_VALIDATORS = [
    MinValueValidator(Decimal("0"), message=_("Give a reach of 0 km or more, or leave it empty.")),
    MaxValueValidator(MAX_RADIUS_KM, message=_("Give a reach of at most 20,000 km (anywhere on "
                                               "Earth), or leave it empty for any distance.")),
]
HORIZON_VALIDATORS = [MinValueValidator(MIN_HORIZON_DAYS), MaxValueValidator(MAX_HORIZON_DAYS)]


def id_in_range(value) -> bool:
    """Whether ``value`` can be an id at all (a whole number from 1 to MAX_ID, in ASCII
    digits: ``"²".isdigit()`` is true, and ``int("١٢")`` is 12).

    >>> id_in_range("12"), id_in_range(12), id_in_range("²"), id_in_range("9" * 26)
    (True, True, False, False)
    """
    if isinstance(value, bool):
        return False
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if not text or len(text) > 10 or not all("0" <= c <= "9" for c in text):
        return False
    return 1 <= int(text) <= MAX_ID


def last_day(collective, today: date | None = None) -> date:
    """The last day a date may name in this collective."""
    days = getattr(collective, "horizon_days", None) or DEFAULT_HORIZON_DAYS
    return (today or timezone.localdate()) + timedelta(days=days)


def check_coming_date(value: date | None, collective, today: date | None = None) -> date | None:
    """A date from today to the collective's horizon; else a ValidationError saying what to pick."""
    if value is None:
        return None
    today = today or timezone.localdate()
    if value < today:
        raise ValidationError(_("This date has passed: pick today or a later day."), code="past")
    last = last_day(collective, today)
    if value > last:
        raise ValidationError(
            _("Pick a day up to %(last)s: dates go at most %(days)s days ahead (the members "
              "decide this)."), code="too_far",
            params={"last": formats.date_format(last), "days": (last - today).days})
    return value


def check_past_date(value: date | None, today: date | None = None) -> date | None:
    """A date of something that happened: not in the future, not absurdly long ago."""
    if value is None:
        return None
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("This day has not come yet: pick today or an earlier day."),
                              code="future")
    if (today - value).days > MAX_PAST_DAYS:
        raise ValidationError(_("Pick a day within the last year."), code="too_old")
    return value
