"""What Home, Needs and Offers list, with the SQL compiled once per process
(``sinfronteras.prepared``): building these querysets cost more CPU than running them."""

from __future__ import annotations

from django.db.models import Count

from sinfronteras.members.models import Member, Role
from sinfronteras.prepared import PreparedQuery

from .models import Need, Offer

#: How many of each Home shows.
HOME_ROWS = 20

_NEEDS = PreparedQuery(lambda member_id: (
    Need.objects.personal(member_id).exclude(status="withdrawn").with_progress()
    .select_related("resource", "area").prefetch_related("slots")[:HOME_ROWS]), member_id="id")

_OFFERS = PreparedQuery(lambda member_id: (
    Offer.objects.filter(posted_by=member_id).exclude(status="withdrawn")
    .select_related("area", "sealed_pickup").prefetch_related("resources", "slots")[:HOME_ROWS]),
    member_id="id")


def home_needs(member) -> list[Need]:
    """The member's own needs not withdrawn, with their progress, slots and resource."""
    return _NEEDS.objects(member_id=member.pk)


def home_offers(member) -> list[Offer]:
    """The member's own offers not withdrawn, with their resources and pickup point."""
    return _OFFERS.objects(member_id=member.pk)


#: Rows a page of Needs or Offers shows.
PER_PAGE = 60


def needs_seen(member):
    """The open needs Needs lists for the member (a coordinator: the collective's)."""
    return Need.objects.visible_to(member).open()


def needs_listed(member):
    """``needs_seen`` as Needs shows them: with progress, by area."""
    return (needs_seen(member).with_progress().select_related("resource", "area", "posted_by")
            .prefetch_related("slots").order_by("area__name", "pk"))


def offers_seen(member):
    """The active offers Offers lists for the member (a coordinator: the collective's)."""
    return Offer.objects.visible_to(member).active()


def offers_listed(member):
    """``offers_seen`` as Offers shows them, by area."""
    return (offers_seen(member).select_related("area", "posted_by", "sealed_pickup")
            .prefetch_related("resources", "slots").order_by("area__name", "pk"))


def reader(member_id, collective_id, coordinator: bool) -> Member:
    """A stand-in for the reader: what a ``visible_to`` rule reads of them (their id,
    collective and role), for a query compiled once per kind of reader."""
    return Member(pk=member_id, collective_id=collective_id,
                  role=Role.COORDINATOR if coordinator else Role.MEMBER)


class FirstPage:
    """The first page of a list, its rows and their count read with SQL compiled once per
    kind of reader; what ``Paginator`` reads of a list (``count``, a slice of the first page)."""

    def __init__(self, seen, listed):
        def prepared(build, coordinator):
            return PreparedQuery(lambda member_id, collective_id: build(
                reader(member_id, collective_id, coordinator)), member_id="id", collective_id="id")

        self._rows = {c: prepared(lambda who: listed(who)[:PER_PAGE], c) for c in (False, True)}
        # One collective's rows counted in one group: one row, or none when there are none.
        self._count = {c: prepared(lambda who: seen(who).values("collective_id").annotate(
            n=Count("pk")).values_list("n", flat=True), c) for c in (False, True)}

    def of(self, member) -> "_Read":
        """This member's first page and count."""
        ids = {"member_id": member.pk, "collective_id": member.collective_id}
        coordinator = member.is_coordinator
        total = sum(self._count[coordinator].rows(**ids))
        return _Read(total, self._rows[coordinator].objects(**ids))


class _Read:
    def __init__(self, total: int, rows: list):
        self.total, self.rows = total, rows

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.start not in (None, 0):
            raise IndexError("only the first page is read")
        return self.rows[key]


NEEDS_FIRST_PAGE = FirstPage(needs_seen, needs_listed)
OFFERS_FIRST_PAGE = FirstPage(offers_seen, offers_listed)
