"""What one person can truly give as a carrier: bounds the members decided.

A carrier reads the sealed address of every delivery they carry, in its window. An
account that offers 1,000 hours a week, 20,000 km and every area would be given most
of the collective's addresses. So a carrying offer is bounded by what one person can
do (``Collective``'s block of carrier settings, changed only by a decision):

- the hours a week of all of a member's active carrying offers together;
- the reach of one offer (an empty reach means the bound, never "any distance");
- the areas a member offers carrying from (one area per offer).

The planner adds the last bound: no carrier is given more than a number of live
addresses at once (``plans.carriers``). The coordinators' page flags accounts whose
offers are far above the rest (:func:`outliers`).
"""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from sinfronteras.members.models import Member
from sinfronteras.web.formats import number

from .models import Offer

#: An account is flagged when it offers more than this many times the median member.
FAR_ABOVE = 3


def carrying_offers(member, exclude_pk=None):
    """The member's active carrying offers (all but ``exclude_pk``, the one being edited)."""
    offers = Offer.objects.active().filter(posted_by=member, resources__carries=True).distinct()
    return offers.exclude(pk=exclude_pk) if exclude_pk else offers


def problems(member, *, quantity, radius_km, area, weekly, exclude_pk=None) -> dict[str, str]:
    """What is beyond one person in a carrying offer, by field name; empty when it fits."""
    collective = member.collective
    found = {}
    others = carrying_offers(member, exclude_pk)
    hours = sum((o.quantity for o in others), Decimal(0))
    bound = Decimal(collective.carrier_hours_week)
    if quantity is not None and hours + quantity > bound:
        left = max(bound - hours, Decimal(0))
        found["quantity"] = _(
            "One person can offer at most %(bound)s hours of carrying a week (the members decided); "
            "your other carrying offers hold %(hours)s, so give %(left)s or less.") % {
                "bound": bound, "hours": _plain(hours), "left": _plain(left)}
    if radius_km is not None and radius_km > collective.carrier_reach_km:
        found["radius_km"] = _(
            "A carrying offer reaches at most %(km)s km (the members decided): give %(km)s or less.") % {
                "km": collective.carrier_reach_km}
    if area is not None:
        areas = set(others.values_list("area_id", flat=True)) | {area.pk}
        if len(areas) > collective.carrier_areas:
            found["area"] = _(
                "One person offers carrying from at most %(n)s areas (the members decided): use one "
                "of the areas of your other carrying offers, or withdraw one.") % {
                    "n": collective.carrier_areas}
    return found


def _plain(value: Decimal) -> str:
    return number(value)


def outliers(collective) -> list[dict]:
    """Accounts whose active carrying offers are far above the rest (hours and count).

    Each row: the member, their hours, their number of offers, and the median of the
    members who offer carrying. Flagged when above :data:`FAR_ABOVE` times the median
    in hours or in offers, or above the members' bound in hours (offers older than the
    bound), most first.
    """
    carrying = Offer.objects.active().filter(collective=collective, resources__carries=True)
    hours: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for _pk, member, quantity in carrying.values_list("pk", "posted_by", "quantity").distinct():
        hours[member] = hours.get(member, Decimal(0)) + quantity
        counts[member] = counts.get(member, 0) + 1
    if not hours:
        return []
    mid_hours, mid_count = median(hours.values()), median(counts.values())
    bound = Decimal(collective.carrier_hours_week)
    many = len(hours) >= 3  # "far above the rest" needs a rest to compare with
    flagged = [pk for pk in hours
               if hours[pk] > bound or counts[pk] > collective.carrier_areas
               or (many and (hours[pk] > FAR_ABOVE * mid_hours or counts[pk] > FAR_ABOVE * mid_count))]
    members = Member.objects.in_bulk(flagged)
    return sorted(({"member": members[pk], "hours": hours[pk], "offers": counts[pk],
                    "median_hours": mid_hours, "median_offers": mid_count}
                   for pk in flagged if pk in members), key=lambda r: (-r["hours"], r["member"].pk))
