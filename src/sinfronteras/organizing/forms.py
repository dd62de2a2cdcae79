"""Forms for organizing: the one place their input is checked.

A conversation form refuses anything that looks like a contact detail (a phone
number, an e-mail address, a handle) outside the one contact field, and that
field only with a recorded yes and a chosen channel.
"""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area, Member, Role
from sinfronteras.numbers import AmountField, WholeField, reader_numbers
from sinfronteras.sharing import bounds
from sinfronteras.sharing.models import Resource

from .models import Action, Commitment, Conversation, OrganizingSettings

#: Seven digits or more, allowing spaces, dots, dashes and brackets between them.
PHONE_LIKE = re.compile(r"(?:\d[\s().\-+]*){7,}")
CONTACT_LIKE = re.compile(r"@|https?:|www\.|\.(?:com|org|net)\b", re.IGNORECASE)
TAG = re.compile(r"^[^\W\d_][\w\- ]{0,28}$")
NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '.\-]){0,29}$")


def looks_like_contact(text: str) -> bool:
    return bool(PHONE_LIKE.search(text or "") or CONTACT_LIKE.search(text or ""))


class AreaMixin:
    def limit(self, member):
        self.member = member
        self.fields["area"].queryset = Area.objects.filter(collective_id=member.collective_id)
        self.fields["area"].empty_label = _("Choose an area…")
        if member.area_id and not self.is_bound and not self.instance.pk:
            self.initial.setdefault("area", member.area_id)


class ActionForm(AreaMixin, forms.ModelForm):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"required": _("Say which day.")})
    hour = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}),
                           error_messages={"required": _("Say at what time.")})

    class Meta:
        model = Action
        fields = ["title", "area", "day", "hour", "material", "copies", "people", "hours_each"]
        formfield_callback = reader_numbers
        labels = {"title": _("What"), "copies": _("Copies needed"), "people": _("People needed"),
                  "hours_each": _("Hours each")}
        help_texts = {"title": _("e.g. Saturday's rally at the courthouse"),
                      "people": _("Members offer hours of presence; the plan fills them.")}
        error_messages = {"title": {"required": _("Say what the action is.")}}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit(member)
        self.fields["material"].queryset = Resource.objects.filter(
            collective_id=member.collective_id, carries=False).exclude(key__in=["presence", "help"])
        self.fields["material"].required = False
        self.fields["material"].empty_label = _("No material")
        newspaper = self.fields["material"].queryset.filter(key="newspaper").first()
        if newspaper and not self.is_bound:
            self.initial.setdefault("material", newspaper.pk)

    def clean(self):
        data = super().clean()
        day, hour = data.get("day"), data.get("hour")
        if day:
            try:
                bounds.check_coming_date(day, self.member.collective)
            except forms.ValidationError as error:
                self.add_error("day", error)
                day = None
        if day and hour:
            when = timezone.make_aware(datetime.combine(day, hour))
            if when < timezone.now():
                self.add_error("day", _("This time has passed: pick a later one."))
            self.instance.starts_at = when
        if data.get("copies") and not data.get("material"):
            self.add_error("material", _("Say which material the copies are of."))
        if data.get("people") and not data.get("hours_each"):
            self.add_error("hours_each", _("Say for how many hours each person is needed."))
        return data


class ResultsForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["copies_distributed", "conversations_started", "want_more"]
        formfield_callback = reader_numbers
        error_messages = {name: {"required": _("Give a number, 0 if none.")}
                          for name in ["copies_distributed", "conversations_started", "want_more"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
            field.min_value = 0


def follow_up_choices(member):
    """Who may follow up: the member who logs it, or a coordinator (those who can see it)."""
    return Member.objects.filter(collective_id=member.collective_id, is_active=True).filter(
        pk=member.pk) | Member.objects.filter(collective_id=member.collective_id, is_active=True,
                                              role=Role.COORDINATOR)


class ConversationForm(AreaMixin, forms.ModelForm):
    topics_text = forms.CharField(
        label=_("Topics"), required=False, max_length=200,
        help_text=_("Words separated by commas, e.g. raids, work, housing."))
    said_yes = forms.BooleanField(
        label=_("They said yes to being contacted"), required=False)
    contact = forms.CharField(
        label=_("Their contact, on the one channel they chose"), required=False, max_length=120,
        help_text=_("Only with their yes. Sealed: only you and coordinators can read it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    class Meta:
        model = Conversation
        fields = ["area", "held_on", "nickname", "topics_text", "interest", "follow_up_on",
                  "follow_up_by", "said_yes", "contact_channel", "contact"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}),
                   "follow_up_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"nickname": _("A first name or a nickname only. Never a full name.")}
        error_messages = {"nickname": {"required": _("Give a first name or a nickname.")},
                          "held_on": {"required": _("Say when you talked.")},
                          "interest": {"required": _("Say how interested they were.")}}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit(member)
        self.fields["follow_up_by"].queryset = follow_up_choices(member).distinct()
        self.fields["follow_up_by"].empty_label = _("Nobody yet")
        self.fields["contact_channel"].required = False
        self.fields["interest"].choices = [("", _("Choose…")), *self.fields["interest"].choices[1:]]
        self.fields["contact_channel"].choices = [("", _("No channel")),
                                                  *self.fields["contact_channel"].choices[1:]]
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("follow_up_by", member.pk)

    def clean_nickname(self):
        value = " ".join(self.cleaned_data["nickname"].split())
        if looks_like_contact(value):
            raise forms.ValidationError(
                _("That looks like a phone number or an address. Give a first name or nickname only."))
        if not NAME.match(value) or len(value.split()) > 2:
            raise forms.ValidationError(
                _("A first name or a nickname only: letters, at most two words."))
        return value

    def clean_topics_text(self):
        raw = self.cleaned_data.get("topics_text", "")
        if looks_like_contact(raw):
            raise forms.ValidationError(
                _("That looks like a phone number or an address. Topics are words like raids, work."))
        tags = []
        for tag in (t.strip().lower() for t in raw.split(",")):
            if not tag:
                continue
            if not TAG.match(tag):
                raise forms.ValidationError(
                    _("“%(tag)s” is not a topic: use short words, separated by commas."),
                    params={"tag": tag[:30]})
            if tag not in tags:
                tags.append(tag)
        if len(tags) > 8:
            raise forms.ValidationError(_("At most 8 topics."))
        return tags

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date is still to come: say when you talked."))
        return bounds.check_past_date(value)

    def clean_follow_up_on(self):
        return bounds.check_coming_date(self.cleaned_data.get("follow_up_on"), self.member.collective)

    def clean(self):
        data = super().clean()
        contact = (data.get("contact") or "").strip()
        if contact and not data.get("said_yes"):
            self.add_error("contact", _("Keep no contact detail unless the person said yes. "
                                        "Remove it, or record their yes."))
        elif contact and not data.get("contact_channel"):
            self.add_error("contact_channel", _("Pick the one channel they chose."))
        if data.get("follow_up_on") and not data.get("follow_up_by"):
            self.add_error("follow_up_by", _("Say who follows up."))
        data["topics"] = data.get("topics_text") or []
        self.instance.topics = data["topics"]
        return data


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["what", "due_on", "action"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"what": _("e.g. bring 50 copies to Saturday's rally")}
        error_messages = {"what": {"required": _("Say what you commit to.")},
                          "due_on": {"required": _("Say by when.")}}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.collective = member.collective
        self.fields["action"].queryset = Action.objects.filter(
            collective_id=member.collective_id, starts_at__gte=timezone.now())
        self.fields["action"].required = False
        self.fields["action"].empty_label = _("No action")

    def clean_due_on(self):
        return bounds.check_coming_date(self.cleaned_data["due_on"], self.collective)


class HelpForm(forms.Form):
    """What help a member asks for: a resource and a quantity, or an hour of any help."""

    resource = forms.ModelChoiceField(queryset=Resource.objects.none(), required=False,
                                      label=_("What would help"),
                                      empty_label=_("Someone's time (hours of help)"))
    quantity = AmountField(label=_("How much"), min_value=bounds.MIN_QUANTITY,
                                  max_value=bounds.MAX_QUANTITY, max_digits=12,
                                  decimal_places=3, initial=1,
                                  error_messages={"required": _("Say how much would help.")})

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(
            collective_id=member.collective_id, carries=False)


class BreakForm(forms.Form):
    until = forms.DateField(label=_("Back on"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": _("Say until when, roughly. You can "
                                                          "come back earlier.")})

    def clean_until(self):
        value = self.cleaned_data["until"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("This date has passed: pick today or a later day."))
        if (value - today).days > 366:
            raise forms.ValidationError(_("At most a year; you can always extend it."))
        return value


class SettingsForm(forms.ModelForm):
    decision = WholeField(label=_("Decision number"), required=False, min_value=1,
                                  help_text=_("The members' decision this carries out, if any."))

    class Meta:
        model = OrganizingSettings
        fields = ["conversation_days"]
        formfield_callback = reader_numbers
