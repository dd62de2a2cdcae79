from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .endpoints import RefusedEndpoint, check_endpoint
from .events import KINDS
from .models import Preference


class PreferenceForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Tell me when"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.key, kind.label) for kind in KINDS.values()])

    class Meta:
        model = Preference
        fields = ["kinds", "quiet_start", "quiet_end"]
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {"quiet_start": _("Nothing is sent between these two times (local time); "
                                       "leave both empty to be told at any hour.")}
        error_messages = {field: {"invalid": _("Write a time like 22:00.")}
                          for field in ("quiet_start", "quiet_end")}

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both times of the quiet hours, or neither."))
        return data


class SubscriptionForm(forms.Form):
    """What the page script posts: the browser's PushSubscription, as its toJSON() gives it."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https",
                              error_messages={"invalid": _("This is not a push service address.")})
    p256dh = forms.RegexField(r"^[A-Za-z0-9_-]{80,100}=*$", max_length=120)
    auth = forms.RegexField(r"^[A-Za-z0-9_-]{16,40}=*$", max_length=60)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        try:
            check_endpoint(endpoint)
        except RefusedEndpoint:  # one answer whatever the reason: it says nothing of other hosts
            raise forms.ValidationError(_("This is not a push service address.")) from None
        return endpoint
