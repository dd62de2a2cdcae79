"""The filter of the Needs and Offers lists: by resource, area and state, and a search.

A coordinator's lists hold every open need and active offer of the collective, many
screens long on a phone. The filter narrows the same one query (a WHERE clause each),
so the page runs as many queries as without it, plus one for the resources and one for
the areas it offers. The search looks only at what the list already shows: a resource's
name, the display name of who posted it and, for an offer, its public place; never a
sealed address, a message or a login name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinfronteras.members.models import Area

from .models import Resource

#: The longest search: longer text is cut, as the picker does.
SEARCH_MAX = 60

NEED_STATES = [("", _("Any state")),
               ("open", pgettext_lazy("need state", "open: not planned")),
               ("planned", pgettext_lazy("need state", "planned")),
               ("on_its_way", pgettext_lazy("need state", "on its way")),
               ("partly_delivered", pgettext_lazy("need state", "partly delivered")),
               ("urgent", pgettext_lazy("need state", "urgent"))]

OFFER_STATES = [("", _("Any state")),
                ("unused", pgettext_lazy("offer state", "nothing planned yet")),
                ("partly_used", pgettext_lazy("offer state", "partly planned")),
                ("all_used", pgettext_lazy("offer state", "all planned"))]


class ListFilter(forms.Form):
    """What a list is narrowed to; every field optional, a bad value is no filter."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX,
                        help_text=_("Part of a resource or a display name."))
    resource = forms.TypedChoiceField(label=_("Resource"), required=False, coerce=int,
                                      empty_value=None)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, data, *, collective_id, states):
        super().__init__(data)
        spanish = (get_language() or "en").startswith("es")
        names = ("pk", "name_es" if spanish else "name_en")
        self.fields["resource"].choices = [("", _("Every resource")), *sorted(
            Resource.objects.filter(collective_id=collective_id).values_list(*names),
            key=lambda row: row[1].casefold())]
        self.fields["area"].choices = [("", _("Every area")), *Area.objects.filter(
            collective_id=collective_id).order_by("name").values_list("pk", "name")]
        self.fields["state"].choices = states

    def wanted(self) -> dict:
        """The valid filters; a value the list does not offer is dropped, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        wanted = {name: data.get(name) for name in ("resource", "area", "state")
                  if name not in self.errors and data.get(name)}
        text = (self.data.get("q") or "").replace("\x00", "").strip()[:SEARCH_MAX]
        if text:
            wanted["q"] = text
        return wanted


def narrow(rows, wanted: dict, *, resource_field: str):
    """``rows`` filtered as ``wanted`` says (``ListFilter.wanted``)."""
    if wanted.get("resource"):
        rows = rows.filter(**{resource_field: wanted["resource"]})
    if wanted.get("area"):
        rows = rows.filter(area_id=wanted["area"])
    return rows.in_state(wanted.get("state", "")).matching(wanted.get("q", ""))


def query_of(wanted: dict) -> str:
    """The filters as a query string, for the pager's links."""
    return urlencode(wanted)
