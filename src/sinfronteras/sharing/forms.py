"""Forms for needs, offers and the catalogue (areas, resources): the one place input is checked.

The pages and the JSON API both validate through these forms, so a rule is
written once and an error reads the same everywhere.
"""

from __future__ import annotations

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst, get_text_list, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area
from sinfronteras.numbers import reader_numbers

from . import bounds
from .capacity import problems
from .models import Need, Offer, Resource, Slot, Weekday

#: Rows of days and hours on a need or offer form (more can be added after saving).
SLOT_ROWS = 3


class SlotsWidget(forms.MultiWidget):
    """Rows of day, from, until: plain selects and time inputs, no script, one row a line."""

    template_name = "sharing/slots_widget.html"

    def __init__(self, rows=SLOT_ROWS):
        self.rows = rows
        widgets = []
        for _row in range(rows):
            widgets += [forms.Select(choices=[("", "—")] + list(Weekday.choices)),
                        forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                        forms.TimeInput(attrs={"type": "time"}, format="%H:%M")]
        super().__init__(widgets)

    def decompress(self, value):
        flat = []
        for weekday, start, end in (value or [])[:self.rows]:
            flat += [weekday, start, end]
        return flat + [None] * (3 * self.rows - len(flat))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        context["widget"]["rows"] = [subwidgets[i:i + 3] for i in range(0, len(subwidgets), 3)]
        return context


class SlotsField(forms.MultiValueField):
    """Weekly days and hours ("Saturdays 10:00–13:00"); empty rows are ignored."""

    widget = SlotsWidget

    def __init__(self, rows=SLOT_ROWS, **kwargs):
        fields = []
        for _row in range(rows):
            fields += [forms.TypedChoiceField(choices=Weekday.choices, coerce=int, empty_value=None,
                                              required=False),
                       forms.TimeField(required=False), forms.TimeField(required=False)]
        super().__init__(fields, require_all_fields=False, required=False,
                         widget=SlotsWidget(rows), **kwargs)

    def compress(self, data_list):
        spans = []
        for i in range(0, len(data_list), 3):
            weekday, start, end = (list(data_list[i:i + 3]) + [None] * 3)[:3]
            if weekday is None and start is None and end is None:
                continue
            if weekday is None or start is None or end is None:
                raise forms.ValidationError(
                    _("Row %(row)s: give the day, the time from and the time until, or leave "
                      "all three empty."), params={"row": i // 3 + 1})
            if end <= start:
                raise forms.ValidationError(
                    _("Row %(row)s: the time until must be after the time from."),
                    params={"row": i // 3 + 1})
            spans.append((weekday, start, end))
        return spans


class SlotsMixin:
    """A ``slots`` field on a need or offer form, read from and written to ``Slot`` rows.

    Slots are replaced only when the form was sent with them (a JSON edit that does
    not mention them keeps them).
    """

    owner_field = ""

    def init_slots(self):
        self.fields["slots"] = SlotsField(
            label=_("When"), help_text=_("Days and hours that suit you, e.g. Saturdays 10:00 to "
                                         "13:00. Leave empty: any time."))
        if self.instance.pk:  # flat, one value a sub-field: a list is not decompressed again
            self.initial["slots"] = self.fields["slots"].widget.decompress(
                [s.span for s in self.instance.slots.all()])

    def _save_m2m(self):
        super()._save_m2m()
        if not self.is_bound or self.add_prefix("slots_0") not in self.data:
            return
        self.instance.slots.all().delete()
        Slot.objects.bulk_create([
            Slot(**{self.owner_field: self.instance}, weekday=w, start=a, end=b)
            for w, a, b in self.cleaned_data.get("slots") or []])


class CollectiveChoicesMixin:
    """Limit areas and resources to the member's own collective."""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["area"].queryset = Area.objects.filter(collective_id=member.collective_id)
        self.fields["area"].empty_label = _("Choose your area…")
        if member.area_id and not self.is_bound and not self.instance.pk:
            self.initial.setdefault("area", member.area_id)

    def clean_date_not_past(self, name):
        """From today to the collective's horizon (``bounds.check_coming_date``)."""
        return bounds.check_coming_date(self.cleaned_data.get(name), self.member.collective)


class BoundedChoiceField(forms.ModelChoiceField):
    """A choice by id that refuses an impossible id (a huge number) before asking the database."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, Model) \
                and not bounds.id_in_range(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ResourceChoiceField(forms.ModelChoiceField):
    """A resource with its unit, so the quantity below it reads in that unit."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit_label})"


class NeedForm(SlotsMixin, CollectiveChoicesMixin, forms.ModelForm):
    owner_field = "need"
    resource = ResourceChoiceField(
        queryset=Resource.objects.none(), label=capfirst(_("what you need")),
        empty_label=_("Choose…"),  # never silently the first in the list
        error_messages={"required": _("Choose what you need."),
                        "invalid_choice": _("Pick one of the resources listed.")})

    class Meta:
        model = Need
        fields = ["resource", "quantity", "area", "urgent", "needed_by"]
        formfield_callback = reader_numbers
        field_classes = {"resource": BoundedChoiceField, "area": BoundedChoiceField}
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}
        labels = {"needed_by": _("Needed by")}
        help_texts = {"quantity": _("In the unit shown beside what you need (kg, packs, hours…)."),
                      "needed_by": _("Leave it empty if any day is fine.")}
        error_messages = {
            "quantity": {"required": _("Say how much you need.")},
            "area": {"invalid_choice": _("Pick one of your collective's areas.")},
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(collective_id=member.collective_id)
        self.init_slots()

    def clean_needed_by(self):
        return self.clean_date_not_past("needed_by")

    def clean(self):
        data = super().clean()
        resource, quantity = data.get("resource"), data.get("quantity")
        if resource is not None and not resource.whole(quantity):
            self.add_error("quantity", resource.step_error())
        return data


class ResourcesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit_label})"

    def _check_values(self, value):
        values = list(value)
        if len(values) > bounds.MAX_RESOURCES_PER_OFFER:
            raise forms.ValidationError(
                _("Pick at most %(most)s resources for one offer."), code="too_many",
                params={"most": bounds.MAX_RESOURCES_PER_OFFER})
        for item in values:
            if not bounds.id_in_range(item):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"],
                                            code="invalid_pk_value", params={"pk": item})
        return super()._check_values(values)


class OfferForm(SlotsMixin, CollectiveChoicesMixin, forms.ModelForm):
    owner_field = "offer"

    resources = ResourcesField(
        queryset=Resource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("What you can give"),
        error_messages={
            "required": _("Pick at least one resource."),
            "invalid_choice": _("Pick resources from the list."),
            "invalid_pk_value": _("Pick resources from the list."),
        },
    )

    class Meta:
        model = Offer
        fields = ["resources", "quantity", "area", "radius_km", "weekly", "available_until",
                  "public_place"]
        formfield_callback = reader_numbers
        field_classes = {"area": BoundedChoiceField}
        widgets = {"available_until": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "quantity": {"required": _("Say how much you can give.")},
            "area": {"invalid_choice": _("Pick one of your collective's areas.")},
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["resources"].queryset = Resource.objects.filter(
            collective_id=member.collective_id
        )
        self.init_slots()

    def clean_available_until(self):
        return self.clean_date_not_past("available_until")

    def clean_resources(self):
        resources = self.cleaned_data["resources"]
        units = sorted({r.unit for r in resources})
        if len(units) > 1:  # the units in the reader's words: "horas y kg", never "hours, kg"
            words = sorted({r.unit_label for r in resources})
            raise forms.ValidationError(
                _("One offer holds resources of one unit; these mix %(units)s. Make one offer per unit."),
                params={"units": get_text_list(words, gettext("and"))},
            )
        steps = {r.step.normalize() if r.step else None for r in resources}
        if len(steps) > 1:
            raise forms.ValidationError(
                _("One offer holds resources handed over in the same smallest amount; these "
                  "differ. Make one offer for each."))
        return resources

    def clean(self):
        data = super().clean()
        resources, quantity = data.get("resources"), data.get("quantity")
        first = next(iter(resources), None) if resources else None
        if first is not None and not first.whole(quantity):
            self.add_error("quantity", first.step_error())
        if resources and any(r.carries for r in resources):
            self._clean_carrying(data)
        return data

    def _clean_carrying(self, data):
        """A carrying offer within what one person can do (``capacity``, decided by vote)."""
        owner = self.instance.posted_by if self.instance.posted_by_id else self.member
        found = problems(owner, quantity=data.get("quantity"), radius_km=data.get("radius_km"),
                         area=data.get("area"), weekly=data.get("weekly"), exclude_pk=self.instance.pk)
        for name, message in found.items():
            if name not in self.errors:
                self.add_error(name, message)


class ResourceForm(forms.ModelForm):
    """A coordinator adds a resource to the catalogue or renames one.

    Whether it is basic is not here: the members decide that by vote.
    """

    class Meta:
        model = Resource
        fields = ["name_en", "name_es", "unit", "unit_es", "step", "carries", "in_person"]
        formfield_callback = reader_numbers
        help_texts = {
            "unit": _("What one of it is counted in: kg, packs, hours, copies."),
            "unit_es": _("Leave empty when it reads the same in Spanish."),
            "carries": _("Offers of it carry other things between areas (a car, a bike, a cart)."),
            "in_person": _("The giver goes: time, a ride, a hand at an action."),
        }
        error_messages = {
            "name_en": {"required": _("Give the resource a name in English.")},
            "name_es": {"required": _("Give the resource a name in Spanish.")},
            "unit": {"required": _("Say what it is counted in, e.g. kg or hours.")},
            "step": dict.fromkeys(["invalid", "min_value", "max_digits", "max_decimal_places"],
                                  _("Write the least that can be handed over as a positive number "
                                    "with at most 3 decimals, e.g. 1 or 0.5; or leave it empty.")),
        }

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.collective = collective

    def clean_name_en(self):
        name = self.cleaned_data["name_en"].strip()
        if not self.instance.pk:
            key = slugify(name)[:40].strip("-")
            if not key:
                raise forms.ValidationError(_("Write the name with letters or digits."))
            if Resource.objects.filter(collective=self.collective, key=key).exists():
                raise forms.ValidationError(
                    _("The catalogue already has “%(name)s”: edit that one instead."),
                    params={"name": name})
            self.instance.key = key
        return name

    def clean_unit(self):
        unit = self.cleaned_data["unit"].strip()
        if self.instance.pk and unit != self.instance.unit:
            needs = self.instance.needs.open().count()
            offers = self.instance.offers.active().count()
            if needs or offers:
                raise forms.ValidationError(
                    _("The unit can't change while %(needs)s open needs and %(offers)s active "
                      "offers count in %(unit)s: add a new resource instead."),
                    params={"needs": needs, "offers": offers, "unit": self.instance.unit})
        return unit

    def clean_step(self):
        step = self.cleaned_data.get("step")
        if self.instance.pk and step and step != self.instance.step:
            odd = [n.quantity for n in self.instance.needs.open()]
            odd += [o.quantity for o in self.instance.offers.active()]
            odd = [q for q in odd if q % step]
            if odd:
                raise forms.ValidationError(
                    _("%(count)s open needs or active offers are not whole numbers of this step: "
                      "change them first, or pick a step they share."),
                    params={"count": len(odd)})
        return step

    def clean(self):
        data = super().clean()
        if data.get("carries") and data.get("in_person"):
            raise forms.ValidationError(
                _("A resource that carries other things is not itself given in person: untick one."))
        return data


class AreaForm(forms.ModelForm):
    """A named area with coarse coordinates (rounded to about 1 km when saved)."""

    class Meta:
        model = Area
        fields = ["name", "lat", "lon"]
        formfield_callback = reader_numbers
        labels = {"lat": _("Latitude"), "lon": _("Longitude")}
        help_texts = {"lat": _("The middle of the neighbourhood, e.g. 34.03; kept to about 1 km.")}
        error_messages = {
            "name": {"required": _("Give the area a name.")},
            "lat": dict.fromkeys(["required", "invalid", "min_value", "max_value"],
                                 _("Give a latitude between -90 and 90.")),
            "lon": dict.fromkeys(["required", "invalid", "min_value", "max_value"],
                                 _("Give a longitude between -180 and 180.")),
        }

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.collective = collective

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = Area.objects.filter(collective=self.collective, name__iexact=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("There is already an area called “%(name)s”."),
                                        params={"name": name})
        return name
