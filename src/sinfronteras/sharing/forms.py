"""Forms for needs and offers: the one place their input is checked.

The pages and the JSON API both validate through these forms, so a rule is
written once and an error reads the same everywhere.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area

from .models import Need, Offer, Resource


class CollectiveChoicesMixin:
    """Limit areas and resources to the member's own collective."""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["area"].queryset = Area.objects.filter(collective_id=member.collective_id)
        self.fields["area"].empty_label = None
        if member.area_id and not self.is_bound and not self.instance.pk:
            self.initial.setdefault("area", member.area_id)

    def clean_date_not_past(self, name):
        value = self.cleaned_data.get(name)
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("This date has passed: pick today or a later day."))
        return value


class NeedForm(CollectiveChoicesMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["resource", "quantity", "area", "urgent", "needed_by"]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "quantity": {"required": _("Say how much you need.")},
            "resource": {"invalid_choice": _("Pick one of the resources listed.")},
            "area": {"invalid_choice": _("Pick one of your collective's areas.")},
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(collective_id=member.collective_id)
        self.fields["resource"].empty_label = None

    def clean_needed_by(self):
        return self.clean_date_not_past("needed_by")


class ResourcesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit})"


class OfferForm(CollectiveChoicesMixin, forms.ModelForm):
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
        fields = ["resources", "quantity", "area", "radius_km", "weekly", "available_until"]
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

    def clean_available_until(self):
        return self.clean_date_not_past("available_until")

    def clean_resources(self):
        resources = self.cleaned_data["resources"]
        units = sorted({r.unit for r in resources})
        if len(units) > 1:
            raise forms.ValidationError(
                _("One offer holds resources of one unit; these mix %(units)s. Make one offer per unit."),
                params={"units": ", ".join(units)},
            )
        return resources
