"""Picking a member without confusing two people, and without JavaScript.

Each member is labelled by their display name; when two active members of the
collective share a name, the label adds the month they joined, then their area,
then a number, until it is unique. Nothing private: never a login name, never a
legal name. The list is filtered on the server by what the person typed, so a
page never carries every member.
"""

from __future__ import annotations

from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _

from sinfronteras.members.models import Member, Role

#: How many members a search shows at most; the page says how many more match.
SHOWN = 20


def active_members(collective_id):
    return Member.objects.filter(collective_id=collective_id, is_active=True)


def _joined(member) -> str:
    month = formats.date_format(timezone.localtime(member.date_joined), "YEAR_MONTH_FORMAT")
    return _("joined %(month)s") % {"month": month}


def _split(groups, part):
    """Add ``part(member)`` to the labels of every group of two or more; regroup by label."""
    regrouped: dict[str, list] = {}
    for members in groups:
        for label, member in members:
            if len(members) > 1:
                label = f"{label} · {part(member)}"
            regrouped.setdefault(label, []).append((label, member))
    return list(regrouped.values())


def labels(members, collective_id) -> dict[int, str]:
    """A label for each of ``members``, unique among the collective's active members.

    ``{pk: "Alex C. · joined March 2026"}``; a coordinator's label says so.
    """
    names = {m.display_name for m in members}
    if not names:
        return {}
    namesakes = list(active_members(collective_id).filter(display_name__in=names)
                     .select_related("area").order_by("date_joined", "pk"))
    groups: dict[str, list] = {}
    for m in namesakes:
        groups.setdefault(m.display_name, []).append((m.display_name, m))
    split = _split(groups.values(), _joined)
    split = _split(split, lambda m: m.area.name if m.area else _("no area"))
    result = {}
    for group in split:
        for number, (label, member) in enumerate(group, start=1):
            result[member.pk] = f"{label} · {number}" if len(group) > 1 else label
    for member in members:
        result.setdefault(member.pk, member.display_name)  # not active: its own name
        if member.role == Role.COORDINATOR:
            result[member.pk] = f"{result[member.pk]} ({_('coordinator')})"
    return result


def label_of(member) -> str:
    return labels([member], member.collective_id)[member.pk]


def search(collective_id, query: str, selected=None) -> dict:
    """The members a search shows: ``{"choices": [(pk, label)], "more": n, "total": n}``.

    Without a query, a small collective shows everyone and a large one nobody (the
    page asks for part of a name). ``selected`` stays in the list whatever the query.
    """
    query = (query or "").replace("\x00", "").strip()[:60]  # PostgreSQL takes no NUL in text
    everyone = active_members(collective_id)
    total = everyone.count()
    if query:
        matches = everyone.filter(display_name__icontains=query)
    elif total <= SHOWN:
        matches = everyone
    else:
        matches = everyone.none()
    found = matches.count()
    shown = list(matches.order_by("display_name", "date_joined", "pk")[:SHOWN])
    if selected is not None and selected.pk not in {m.pk for m in shown}:
        shown.insert(0, selected)
    names = labels(shown, collective_id)
    return {"choices": [(m.pk, names[m.pk]) for m in shown], "more": max(0, found - SHOWN),
            "found": found, "total": total, "query": query}
