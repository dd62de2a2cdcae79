from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .numbers import BadNumber, normalize


class NumberForm(forms.Form):
    number = forms.CharField(
        label=_("Your mobile number"), max_length=30, required=False, strip=True,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("With the country code, e.g. +1 213 555 0123. Sealed at once: nobody can "
                    "read it here, coordinators included."))
    notify = forms.BooleanField(
        label=_("Send me notifications by SMS"), required=False,
        help_text=_("A new task for you, your need on its way, a message on your task, an alert "
                    "in your area, a vote closing tomorrow. Only a short sentence, never who, "
                    "where or how much."))

    def __init__(self, *args, has_number: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_number = has_number
        if has_number:
            self.fields["number"].label = _("A new number (leave empty to keep yours)")

    def clean_number(self):
        text = self.cleaned_data["number"]
        if not text:
            if not self.has_number:
                raise forms.ValidationError(_("Write your mobile number."))
            return ""
        try:
            return normalize(text)
        except BadNumber as error:
            raise forms.ValidationError(str(error)) from None
