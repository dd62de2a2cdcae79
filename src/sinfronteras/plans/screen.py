"""Rows a run cannot plan: left out and named, so that the rest is planned.

One bad row (a need dated past any date a task window can hold, an area off the map,
anything the planning library refuses in one entry) must never stop planning for
everyone. Each such row is left out of the problem and named in the run record
(``PlanRun.left_out``) and on the plan page, with what to fix.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What each reason says on the plan page (the run record keeps the key).
REASONS = {
    "date_out_of_range": _("its date is further ahead than a plan can hold: change the date"),
    "area_off_the_map": _("its area has no valid place on the map: fix the area's latitude "
                          "and longitude in the catalogue"),
    "not_plannable": _("the planner cannot read it: edit it or withdraw it"),
}


def window_end(need, now) -> datetime:
    """The end of the day the need is needed by, else a few days from now."""
    if need.needed_by:
        end = timezone.make_aware(datetime.combine(need.needed_by, time(23, 59)))
        if end > now + timedelta(hours=1):
            return end
    return now + timedelta(days=settings.TASK_WINDOW_DAYS)


def area_ok(area) -> bool:
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in (area.lat, area.lon)) \
        and -90 <= area.lat <= 90 and -180 <= area.lon <= 180


def need_problem(need, now) -> dict | None:
    """Why this need cannot be planned, or None."""
    if not area_ok(need.area):
        return left_out("need", need.pk, "area_off_the_map", need.area.name)
    try:  # the task window must be a time every database and time zone can hold
        end = window_end(need, now)
        (end + timedelta(days=2)).astimezone(dt_timezone.utc)
    except (OverflowError, ValueError):
        return left_out("need", need.pk, "date_out_of_range", str(need.needed_by))
    return None


def offer_problem(offer) -> dict | None:
    """Why this offer cannot be planned, or None."""
    if not area_ok(offer.area):
        return left_out("offer", offer.pk, "area_off_the_map", offer.area.name)
    return None


def left_out(kind: str, pk: int, reason: str, detail: str = "") -> dict:
    return {"kind": kind, "id": pk, "reason": reason, "detail": str(detail)[:200]}


_ENTRY_ID = re.compile(r'^(needs|offers|places)\[\d+\] \(id "([^"]+)"\)$')


def drop_entry(snap, entry: str, message: str) -> bool:
    """The planning library refused one entry of the problem: leave its row (or, for a
    place, the rows in it) out. False when the entry names no row (the whole problem)."""
    found = _ENTRY_ID.match(entry)
    if not found:
        return False
    section, ident = found.groups()
    doc = snap.problem
    if section == "places":
        if not any(place["id"] == ident for place in doc["places"]):
            return False
        gone = {row["id"] for part in ("needs", "offers") for row in doc[part]
                if row["place"] == ident}
        doc["places"] = [place for place in doc["places"] if place["id"] != ident]
        reason = "area_off_the_map"
    elif ident in snap.needs or ident in snap.offers:
        gone, reason = {ident}, "not_plannable"
    else:
        return False
    for part, rows, kind in (("needs", snap.needs, "need"), ("offers", snap.offers, "offer")):
        for key in [row["id"] for row in doc[part] if row["id"] in gone]:
            snap.left_out.append(left_out(kind, rows.pop(key).pk, reason, message))
        doc[part] = [row for row in doc[part] if row["id"] not in gone]
    return True


def whole(quantity: Decimal, step: Decimal | None, *, up: bool) -> Decimal:
    """``quantity`` to a whole number of ``step`` (up for what a need still lacks, down for
    what an offer still holds): amounts left from before the resource had a step, or from
    older plans, are planned in whole steps too.

    >>> whole(Decimal("1.717"), Decimal(1), up=True), whole(Decimal("1.717"), Decimal(1), up=False)
    (Decimal('2'), Decimal('1'))
    >>> whole(Decimal("1.717"), None, up=True)
    Decimal('1.717')
    """
    if not step:
        return quantity
    steps = (quantity / step).to_integral_value(ROUND_CEILING if up else ROUND_FLOOR)
    return steps * step
