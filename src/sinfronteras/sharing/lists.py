"""What Home lists of a member's own, with the SQL compiled once per process
(``sinfronteras.prepared``): building these querysets cost more CPU than running them."""

from __future__ import annotations

from sinfronteras.prepared import PreparedQuery

from .models import Need, Offer

#: How many of each Home shows.
HOME_ROWS = 20

_NEEDS = PreparedQuery(lambda member_id: (
    Need.objects.personal(member_id).exclude(status="withdrawn").with_progress()
    .select_related("resource", "area").prefetch_related("slots")[:HOME_ROWS]), member_id="id")

_OFFERS = PreparedQuery(lambda member_id: (
    Offer.objects.filter(posted_by=member_id).exclude(status="withdrawn")
    .select_related("area", "sealed_pickup").prefetch_related("resources")[:HOME_ROWS]),
    member_id="id")


def home_needs(member) -> list[Need]:
    """The member's own needs not withdrawn, with their progress, slots and resource."""
    return _NEEDS.objects(member_id=member.pk)


def home_offers(member) -> list[Offer]:
    """The member's own offers not withdrawn, with their resources and pickup point."""
    return _OFFERS.objects(member_id=member.pk)
