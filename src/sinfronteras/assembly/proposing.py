"""Forms to propose: a first page chooses the kind, then each kind has its own form.

:class:`ProposeForm` holds every field and every rule; each kind's form keeps only
the fields that kind uses (``used``) and fixes the kind, so a consent question never
shows a budget and a budget never shows a member picker. A proposal's quorum starts
at the collective's (a setting the members change by decision); a proposer may ask
for more, never for less.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinfronteras.federation.decisions import check_proposal
from sinfronteras.federation.models import Peer, PeerState
from sinfronteras.members.models import Area, Member, Role
from sinfronteras.numbers import WholeField, reader_numbers
from sinfronteras.sharing.bounds import MAX_HORIZON_DAYS, MIN_HORIZON_DAYS, id_in_range
from sinfronteras.sharing.models import Resource

from . import picker
from .models import (BUDGET_RULES, FEDERATION_CHANGES, RANKED_RULES, ROLE_CHANGES, SETTING_CHANGES,
                     WHOLE_SETTINGS, WITH_OPTIONS, YES_NO, Change, Kind, Proposal, Rule)

MAX_OPTIONS = 50


def when(moment) -> str:
    """A date and time the reader's way (``web/formats``)."""
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
MAX_DAYS = 90


class ProposeForm(forms.ModelForm):
    """Every field of every kind, and every rule that checks them; the pages use one
    kind's form (below), which keeps only that kind's fields."""

    quorum = WholeField(
        label=_("quorum (% of members)"), min_value=0, max_value=100,
        help_text=_("Share of the collective's active members who must vote."))
    options = forms.CharField(
        label=_("options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. For a participatory budget: project; cost; area "
                    "(for example: Community fridge; 300; Boyle Heights)."))

    class Meta:
        model = Proposal
        formfield_callback = reader_numbers
        fields = ["title", "body", "kind", "rule", "seats", "options", "resource", "budget",
                  "change", "change_value", "subject", "federation_name", "federation_code", "peer", "quorum", "ballot_mode",
                  "hide_results", "closes_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "rule": _("Ranked choice: Schulze (default), ranked pairs, instant runoff, or "
                      "single transferable vote. Participatory budget: Equal Shares (default) or greedy."),
            "seats": _("For single transferable vote, approval and score."),
            "resource": _("The pooled resource of a participatory budget, or the resource a "
                          "change makes basic or not basic."),
            "budget": _("How much of the pooled resource the projects share."),
            "subject": _("The member a change of role is about."),
            "change_value": _("Days to keep fulfilled needs, or the default reach in km "
                              "(empty: any distance)."),
        }
        error_messages = {
            "title": {"required": _("Say what the members decide.")},
            "subject": {"invalid_choice": _("Pick a member of your collective.")},
            "closes_at": {"required": _("Say when voting closes."),
                          "invalid": _("Give a date and time, for example 2030-05-01 18:00.")},
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.floor = int(member.collective.default_quorum * 100)
        self.fields["quorum"].initial = self.floor
        self.fields["quorum"].help_text = _(
            "Share of the active members who must vote. Your collective's quorum is %(n)s %%: a "
            "proposal may ask for more, not less; the members change it by a decision.") % {"n": self.floor}
        self.fields["rule"].choices = [("", _("the default for the kind"))] + list(Rule.choices)
        self.fields["resource"].queryset = Resource.objects.filter(collective_id=member.collective_id)
        self.fields["resource"].empty_label = _("none")
        self.fields["subject"].queryset = Member.objects.filter(
            collective_id=member.collective_id, is_active=True).order_by("display_name")
        self.fields["subject"].label_from_instance = lambda m: m.display_name
        self.fields["subject"].empty_label = _("none")
        if not self.is_bound:
            self.initial.setdefault("closes_at", (timezone.localtime() + timedelta(days=7))
                                    .replace(second=0, microsecond=0))
        self.projects: list[dict] = []

    def focus_first_error(self) -> None:
        """On a phone the first wrong field is far down: the browser scrolls to it and focuses it."""
        if self.is_bound:
            for name, field in self.fields.items():
                if name in self.errors:
                    field.widget.attrs["autofocus"] = True
                    return

    def clean_quorum(self):
        value = self.cleaned_data["quorum"]
        if value is None:
            value = self.floor
        if value < self.floor:
            raise forms.ValidationError(
                _("Your collective's quorum is %(n)s %%: ask for %(n)s %% or more. To lower it, "
                  "propose a change of the quorum."), params={"n": self.floor})
        return Decimal(value) / 100

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        now = timezone.now()
        if value <= now:
            raise forms.ValidationError(_("This time has passed: pick a later one."))
        hours = self.member.collective.min_voting_hours
        opened = self.instance.opens_at if self.instance.pk else now
        earliest = opened + timedelta(hours=hours)
        if value < earliest:
            raise forms.ValidationError(
                _("Your collective decided that a proposal stays open at least %(hours)s hours, so "
                  "everybody can vote: pick %(earliest)s or later."),
                params={"hours": hours, "earliest": when(earliest)})
        if value > now + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Voting can stay open at most %(days)s days."),
                                        params={"days": MAX_DAYS})
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            self._clean_rule(kind, data)
            self._clean_options(kind, data)
            self._clean_change(kind, data)
            self._clean_budget(kind, data)
        return data

    def _clean_rule(self, kind, data):
        rule, seats = data.get("rule") or "", data.get("seats") or 1
        if kind == Kind.RANKED:
            rule = rule or Rule.SCHULZE
            if rule not in RANKED_RULES:
                self.add_error("rule", _("A ranked choice counts by Schulze, ranked pairs, "
                                         "instant runoff or single transferable vote."))
        elif kind == Kind.BUDGET:
            rule = rule or Rule.EQUAL_SHARES
            if rule not in BUDGET_RULES:
                self.add_error("rule", _("A participatory budget counts by Equal Shares or greedy."))
        elif rule:
            self.add_error("rule", _("Only ranked choice and participatory budgets have a counting rule."))
        several = kind in (Kind.APPROVAL, Kind.SCORE) or rule == Rule.STV
        if seats != 1 and not several:
            self.add_error("seats", _("Only single transferable vote, approval and score choose "
                                      "more than one."))
        data["rule"], data["seats"] = rule, seats

    def _clean_options(self, kind, data):
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        if kind not in WITH_OPTIONS:
            if lines:
                self.add_error("options", _("A yes-or-no question has no options: leave this empty."))
            return
        if kind == Kind.BUDGET:
            projects = [self._project(n, line) for n, line in enumerate(lines, start=1)]
            if any(p is None for p in projects):
                return
            self.projects = projects
            labels = [p["label"] for p in projects]
        else:
            labels = lines
            self.projects = [{"label": label} for label in labels]
        if len(labels) < 2 or len(labels) > MAX_OPTIONS:
            self.add_error("options", _("Give between 2 and %(max)s options, one per line.")
                           % {"max": MAX_OPTIONS})
        elif len(set(labels)) != len(labels):
            self.add_error("options", _("Two options have the same name: make each one different."))
        elif any(len(label) > 120 for label in labels):
            self.add_error("options", _("An option is longer than 120 characters: shorten it."))
        elif data.get("seats", 1) >= len(labels):
            self.add_error("seats", _("Choose fewer than there are options."))

    def _project(self, number, line):
        parts = [p.strip() for p in line.split(";")]
        where = {"n": number, "line": line[:60]}
        place = parts.pop() if len(parts) == 4 else ""
        if len(place) > 200:
            self.add_error("options", _("Line %(n)s: the public place is longer than 200 characters: "
                                        "shorten it.") % where)
            return None
        if len(parts) == 2 and parts[0]:
            first = Area.objects.filter(collective_id=self.member.collective_id).first()
            self.add_error("options", _("Line %(n)s (“%(line)s”): the area is missing. Add “; area” "
                                        "at the end, for example: %(line)s; %(area)s.")
                           % {**where, "area": first.name if first else "Boyle Heights"})
            return None
        if len(parts) != 3 or not parts[0]:
            self.add_error("options", _("Line %(n)s (“%(line)s”): write the project, its cost and its "
                                        "area, separated by “;”, for example: Community fridge; 300; "
                                        "Boyle Heights.") % where)
            return None
        label, cost, area_name = parts
        try:
            cost = Decimal(cost.replace(",", "."))
        except InvalidOperation:
            cost = None
        if cost is None or not cost.is_finite() or cost <= 0 or cost.as_tuple().exponent < -3:
            self.add_error("options", _("Line %(n)s: the cost %(cost)s is not a positive number: "
                                        "write it in digits, for example 300 or 12.5.")
                           % {"n": number, "cost": parts[1]})
            return None
        area = Area.objects.filter(collective_id=self.member.collective_id, name__iexact=area_name).first()
        if area is None:
            names = list(Area.objects.filter(collective_id=self.member.collective_id)
                         .values_list("name", flat=True)[:13])
            known = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
            self.add_error("options", _("Line %(n)s: “%(area)s” is not an area of your collective. "
                                        "Its areas: %(known)s.")
                           % {"n": number, "area": area_name, "known": known})
            return None
        return {"label": label, "cost": cost, "area": area, "place": place}

    def _clean_change(self, kind, data):
        change, value = data.get("change") or "", data.get("change_value")
        if change and kind not in YES_NO:
            self.add_error("change", _("Only a consent or majority proposal can change a setting."))
            return
        if change in (Change.BASIC, Change.NOT_BASIC):
            if data.get("resource") is None:
                self.add_error("resource", _("Pick the resource this changes."))
            data["change_value"] = None
        elif change in ROLE_CHANGES or (change in FEDERATION_CHANGES and change not in WHOLE_SETTINGS):
            data["change_value"] = None
        elif change == Change.RETENTION:
            if value is None or value != value.to_integral_value() or not 1 <= value <= 365:
                self.add_error("change_value", _("Give a whole number of days from 1 to 365."))
        elif change == Change.HORIZON:
            if (value is None or value != value.to_integral_value()
                    or not MIN_HORIZON_DAYS <= value <= MAX_HORIZON_DAYS):
                self.add_error("change_value", _("Give a whole number of days from %(least)s to "
                                                 "%(most)s.") % {"least": MIN_HORIZON_DAYS,
                                                                 "most": MAX_HORIZON_DAYS})
        elif change in WHOLE_SETTINGS:
            least, most = WHOLE_SETTINGS[change]
            if value is None or value != value.to_integral_value() or not least <= value <= most:
                self.add_error("change_value", _("Give a whole number from %(least)s to %(most)s.")
                               % {"least": least, "most": most})
        elif change == Change.QUORUM:
            if value is None or value != value.to_integral_value() or not 1 <= value <= 100:
                self.add_error("change_value", _("Give the new quorum as a whole percentage from 1 to 100."))
        elif change == Change.RADIUS:
            if value is not None and value < 0:
                self.add_error("change_value", _("Give a distance of 0 km or more, or leave it empty."))
        elif value is not None:
            self.add_error("change_value", _("Nothing changes: leave the value empty."))
        self._clean_subject(change, data)
        self._clean_federation(change, data)

    #: What to fix, per reason ``federation.decisions.check_proposal`` gives.
    FEDERATION_ERRORS = {
        "already": ("change", _("Your collective is in a federation already: propose to leave it first.")),
        "code": ("federation_code", _("This is not an invitation code: copy the whole code, starting "
                                      "with sfed1., from the collective that invites you.")),
        "none": ("change", _("Your collective is in no federation: propose to join one with an "
                             "invitation code.")),
        "peer": ("peer", _("Pick another member collective of your federation.")),
        "suspended": ("peer", _("This collective is suspended already.")),
        "not_suspended": ("peer", _("This collective is not suspended.")),
    }

    def _clean_federation(self, change, data):
        code, peer = (data.get("federation_code") or "").strip(), data.get("peer")
        name = " ".join((data.get("federation_name") or "").split())
        if change not in FEDERATION_CHANGES:
            if code:
                self.add_error("federation_code", _("Only a proposal to join a federation has a code."))
            if peer is not None:
                self.add_error("peer", _("Only a suspension names a member collective."))
            return
        if change != Change.FED_JOIN:
            code = ""
        if change not in (Change.FED_SUSPEND, Change.FED_RESUME):
            peer = None
        if change != Change.FED_CREATE:
            name = ""
        elif not name:
            self.add_error("federation_name", _("Name the federation to start, as other collectives "
                                                "will read it: for example Sin Fronteras Border Network."))
        data["federation_name"], data["federation_code"], data["peer"] = name, code, peer
        if (why := check_proposal(self.member.collective, change, code, peer)) is not None:
            field, message = self.FEDERATION_ERRORS[why]
            self.add_error(field if field in self.fields else None, message)

    def _clean_subject(self, change, data):
        subject = data.get("subject")
        if change not in ROLE_CHANGES:
            if subject is not None:
                self.add_error("subject", _("Only a change of role names a member."))
        elif subject is None:
            self.add_error("subject", _("Pick the member whose role this changes."))
        elif change == Change.COORDINATOR and subject.role == Role.COORDINATOR:
            self.add_error("subject", _("%(name)s is a coordinator already.")
                           % {"name": subject.display_name})
        elif change == Change.ORGANISATION and (subject.is_organisation or subject.role == Role.COORDINATOR):
            self.add_error("subject", _("%(name)s is an organisation already, or a coordinator (a "
                                        "person).") % {"name": subject.display_name})
        elif change == Change.PERSON and not subject.is_organisation:
            self.add_error("subject", _("%(name)s is not marked as an organisation.")
                           % {"name": subject.display_name})
        elif change == Change.MEMBER and subject.role != Role.COORDINATOR:
            self.add_error("subject", _("%(name)s is not a coordinator.")
                           % {"name": subject.display_name})

    def _clean_budget(self, kind, data):
        if kind == Kind.BUDGET:
            if data.get("resource") is None:
                self.add_error("resource", _("Pick the pooled resource the budget shares."))
            if data.get("budget") is None:
                self.add_error("budget", _("Say how much the projects share."))
            elif self.projects and all(p.get("cost", 0) > data["budget"] for p in self.projects):
                self.add_error("budget", _("Every project costs more than the budget."))
        else:
            if data.get("budget") is not None:
                self.add_error("budget", _("Only a participatory budget has a budget."))
            if data.get("resource") is not None and data.get("change") not in (Change.BASIC, Change.NOT_BASIC):
                self.add_error("resource", _("Only a budget or a change of what is basic names a resource."))


def initial_of(proposal, options) -> dict:
    """What the propose form shows when the author edits: options as typed, quorum in %."""
    if proposal.kind == Kind.BUDGET:
        lines = [f"{o.label}; {o.cost.normalize():f}; {o.area.name if o.area else ''}"
                 + (f"; {o.place}" if o.place else "") for o in options]
    else:
        lines = [o.label for o in options]
    return {"options": "\n".join(lines), "quorum": int(proposal.quorum * 100)}




# One form per kind ----------------------------------------------------------------------------

TAIL = ("quorum", "ballot_mode", "hide_results", "closes_at")


class KindForm(ProposeForm):
    """One kind's form: only the fields in ``used``. ``kind_value`` fixes the kind; without
    it the form asks how to decide, among the yes-or-no kinds."""

    slug = ""
    kind_value: str | None = None
    used: tuple = ()
    changes: tuple = ()
    rules: tuple = ()
    labels: dict = {}
    helps: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.used:
                del self.fields[name]
        self.order_fields(self.used)
        fields = self.fields
        if "kind" in fields:
            fields["kind"].choices = [(k.value, k.label) for k in YES_NO]
            fields["kind"].widget = forms.RadioSelect(choices=fields["kind"].choices)
            fields["kind"].initial = self.initial.get("kind") or Kind.CONSENT
        if "change" in fields:
            fields["change"].choices = [("", _("pick one"))] + [(c.value, c.label) for c in self.changes]
            fields["change"].required = True
            fields["change"].error_messages["required"] = _("Say what it changes if it passes.")
        if "rule" in fields:
            fields["rule"].choices = [(self.rules[0].value, _("%(rule)s (the default)") % {
                "rule": self.rules[0].label})] + [(r.value, r.label) for r in self.rules[1:]]
            fields["rule"].initial = self.initial.get("rule") or self.rules[0].value
        for name, label in self.labels.items():
            fields[name].label = label
        for field in fields.values():
            field.label = capfirst(field.label)
        for name, text in self.helps.items():
            fields[name].help_text = text

    def clean(self):
        if self.kind_value:
            self.cleaned_data["kind"] = self.kind_value
        data = super().clean()
        for name in [n for n in data if n not in self.fields]:
            setattr(self.instance, name, data.pop(name))  # set by the kind, not typed
        return data


class ConsentForm(KindForm):
    slug, kind_value = "consent", Kind.CONSENT
    used = ("title", "body") + TAIL


class MajorityForm(KindForm):
    slug, kind_value = "majority", Kind.MAJORITY
    used = ("title", "body") + TAIL


class RankedForm(KindForm):
    slug, kind_value = "ranked", Kind.RANKED
    used = ("title", "body", "options", "rule", "seats") + TAIL
    rules = RANKED_RULES
    helps = {"rule": _("Schulze and ranked pairs choose the option most voters prefer to each other "
                       "one; instant runoff drops the last option round by round; single transferable "
                       "vote chooses several."),
             "seats": _("Only for single transferable vote: how many to choose."),
             "options": _("One option per line, at least two.")}


class ApprovalForm(KindForm):
    slug, kind_value = "approval", Kind.APPROVAL
    used = ("title", "body", "options", "seats") + TAIL
    helps = {"seats": _("How many options are chosen: the most approved ones."),
             "options": _("One option per line, at least two.")}


class ScoreForm(KindForm):
    slug, kind_value = "score", Kind.SCORE
    used = ("title", "body", "options", "seats") + TAIL
    helps = {"seats": _("How many options are chosen: the highest scores."),
             "options": _("One option per line, at least two.")}


class BudgetForm(KindForm):
    slug, kind_value = "budget", Kind.BUDGET
    used = ("title", "body", "resource", "budget", "options", "rule") + TAIL
    rules = BUDGET_RULES
    labels = {"options": _("projects"), "resource": _("what the projects share")}
    helps = {"resource": _("The pooled resource: money, hours or goods."),
             "rule": _("Equal Shares gives every voter an equal part of the budget to spend on the "
                       "projects they support; greedy buys the most supported projects first.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(Area.objects.filter(collective_id=self.member.collective_id)
                     .values_list("name", flat=True)[:13])
        self.fields["options"].help_text = _(
            "One project per line: project; cost; area; and, if you like, the public place it is "
            "brought to (never a home). For example: Community fridge; 300; %(area)s; St. Mary's hall. "
            "Your collective's areas: %(areas)s.") % {
                "area": names[0] if names else "Boyle Heights",
                "areas": ", ".join(names[:12]) + (", …" if len(names) > 12 else "")}


class SettingForm(KindForm):
    slug = "setting"
    used = ("title", "body", "kind", "change", "resource", "change_value") + TAIL
    changes = SETTING_CHANGES
    labels = {"resource": _("resource (to make basic or not)")}
    helps = {"change_value": _("Days to keep fulfilled needs (1 to 365), the default reach in km "
                               "(empty: any distance), the new quorum in percent of the active members, "
                               "how many days ahead a date may be (7 to 3650), the least hours a proposal stays "
                               "open (1 to 720), or a carrier's bound: live addresses (1 to 50), hours a "
                               "week (1 to 168), reach in km (1 to 1000), areas (1 to 50), or the hours a giver has to give a pickup point (1 to 168)."),
             "resource": _("Only to make a resource a basic need, or not.")}


class RoleForm(KindForm):
    """A change of role or a removal: the member is picked from a list the server filters."""

    slug = "role"
    used = ("title", "body", "kind", "change", "find", "subject") + TAIL
    changes = ROLE_CHANGES
    find = forms.CharField(label=_("find the member"), required=False, max_length=60,
                           help_text=_("Type part of their display name, then press Search."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["subject"]
        field.widget = forms.RadioSelect()
        field.required = True
        field.error_messages["required"] = _("Pick the member: search for their name, then choose.")
        source = self.data if self.is_bound else self.initial
        selected = self._selected(source.get("subject"))
        self.found = picker.search(self.member.collective_id, source.get("find", ""), selected)
        field.widget.choices = self.found["choices"]
        field.help_text = ""

    def _selected(self, value):
        value = getattr(value, "pk", value)
        if not id_in_range(value):  # "²" or a 26-digit number is nobody, not a server error
            return None
        try:
            return picker.active_members(self.member.collective_id).get(pk=int(value))
        except (TypeError, ValueError, Member.DoesNotExist):
            return None


class FederationForm(KindForm):
    """Start a federation, join one with a code, leave it, suspend a member collective or end a
    suspension, or set the hours between rounds."""

    slug = "federation"
    used = ("title", "body", "kind", "change", "federation_name", "federation_code", "peer",
            "change_value") + TAIL
    changes = FEDERATION_CHANGES
    labels = {"peer": _("member collective (to suspend, or to end its suspension)"),
              "federation_name": _("name of the new federation (to start one)"),
              "federation_code": _("invitation code (to join)"),
              "change_value": _("hours between rounds")}
    helps = {"federation_name": _("Only to start a federation: when the proposal passes, your "
                                  "collective's coordinators can invite other collectives to it."),
             "federation_code": _("The code another collective of the federation gave you, starting "
                                  "with sfed1. It is used once, when the proposal passes."),
             "peer": _("Only to suspend a member collective, or to end its suspension."),
             "change_value": _("Only to change how often the federation plans together: 1 to 168 hours.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Peer.objects.filter(collective_id=self.member.collective_id).exclude(state=PeerState.LEFT)
        field = self.fields["peer"]
        field.queryset = (Peer.objects.filter(federation__in=mine.values("federation"))
                          .exclude(state=PeerState.LEFT).exclude(pk__in=mine.values("pk")).order_by("name"))
        suspended = pgettext_lazy("federation member", "suspended")
        field.label_from_instance = lambda p: (p.name or p.slug) + (f" ({suspended})" if p.state == PeerState.SUSPENDED
                                                                   else "")
        field.empty_label = _("none")
        self.fields["federation_code"].widget = forms.Textarea(attrs={"rows": 3, "autocomplete": "off",
                                                                       "spellcheck": "false"})


KINDS = (ConsentForm, MajorityForm, RankedForm, ApprovalForm, ScoreForm, BudgetForm, SettingForm, RoleForm, FederationForm)
KIND_FORMS = {form.slug: form for form in KINDS}


def form_class_for(proposal):
    """The form a proposal is edited with: its kind's, or the setting's or role's."""
    if proposal.change in ROLE_CHANGES:
        return RoleForm
    if proposal.change in FEDERATION_CHANGES:
        return FederationForm
    if proposal.change:
        return SettingForm
    return KIND_FORMS[proposal.kind]


#: The first page: what each kind of proposal is for, in the order people look for them.
CHOOSER = (
    ("consent", _("A yes-or-no question, by consent"),
     _("Members agree, abstain, disagree or block; one block stops it.")),
    ("majority", _("A yes-or-no question, by majority"), _("It passes with more yes than no.")),
    ("ranked", _("Choose among options, by ranking them"), _("Each member puts the options in order.")),
    ("approval", _("Choose among options, by approval"), _("Each member ticks every option they accept.")),
    ("score", _("Choose among options, by score"), _("Each member gives every option 0 to 5.")),
    ("budget", _("Share a budget among projects"),
     _("Money, hours or goods, shared by the projects the members support.")),
    ("setting", _("Change a setting"),
     _("What counts as a basic need, how long records are kept, an offer's default reach, the quorum, "
       "how long a vote stays open, what one carrier can take on.")),
    ("role", _("Change a member's role, or remove a member"),
     _("Make a member a coordinator, a coordinator a member again, remove a member, or mark an "
       "organisation's account.")),
    ("federation", _("Start, join, leave or suspend in a federation"),
     _("Plan together with other collectives: start a federation or join one with a code, leave it, "
       "suspend a member collective, or set how often the federation plans together.")),
)


def refill(form_class, request, **kwargs):
    """The form for this request: bound to a submit; refilled, unbound, after a search.

    Pressing Search (or opening the page with ``?find=``) keeps what was typed and
    shows the members found, without checking or saving anything.
    """
    if request.method == "POST" and "search" not in request.POST:
        return form_class(request.POST, **kwargs)
    source = request.POST if request.method == "POST" else request.GET
    initial = {**kwargs.pop("initial", {}), **source.dict()}
    if request.method == "POST":
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = name in request.POST
    return form_class(initial=initial, **kwargs)
