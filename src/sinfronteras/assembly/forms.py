"""Forms to propose and to vote: the one place their input is checked.

Voting needs no JavaScript: a ranked ballot is one ``<select>`` per option giving
its rank; two options with the same rank are refused with an error on each.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinfronteras.members.models import Area, Member, Role
from sinfronteras.sharing.bounds import MAX_HORIZON_DAYS, MIN_HORIZON_DAYS
from sinfronteras.sharing.models import Resource

from .models import (BUDGET_RULES, RANKED_RULES, ROLE_CHANGES, WITH_OPTIONS, YES_NO, Change, Kind,
                     Proposal, Rule)

MAX_OPTIONS = 50
MAX_DAYS = 90


class ProposeForm(forms.ModelForm):
    quorum = forms.IntegerField(
        label=_("quorum (% of members)"), min_value=0, max_value=100, initial=50,
        help_text=_("Share of the collective's active members who must vote."))
    options = forms.CharField(
        label=_("options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. For a participatory budget: project; cost; area "
                    "(for example: Community fridge; 300; Boyle Heights)."))

    class Meta:
        model = Proposal
        fields = ["title", "body", "kind", "rule", "seats", "options", "resource", "budget",
                  "change", "change_value", "subject", "quorum", "ballot_mode", "hide_results", "closes_at"]
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

    def clean_quorum(self):
        value = self.cleaned_data["quorum"]
        return None if value is None else Decimal(value) / 100

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        now = timezone.now()
        if value <= now:
            raise forms.ValidationError(_("This time has passed: pick a later one."))
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
        if len(parts) != 3 or not parts[0]:
            self.add_error("options", _("Line %(n)s: write project; cost; area.") % {"n": number})
            return None
        label, cost, area_name = parts
        try:
            cost = Decimal(cost.replace(",", "."))
        except InvalidOperation:
            cost = None
        if cost is None or not cost.is_finite() or cost <= 0 or cost.as_tuple().exponent < -3:
            self.add_error("options", _("Line %(n)s: the cost %(cost)s is not a positive number.")
                           % {"n": number, "cost": parts[1]})
            return None
        area = Area.objects.filter(collective_id=self.member.collective_id, name__iexact=area_name).first()
        if area is None:
            self.add_error("options", _("Line %(n)s: %(area)s is not an area of your collective.")
                           % {"n": number, "area": area_name})
            return None
        return {"label": label, "cost": cost, "area": area}

    def _clean_change(self, kind, data):
        change, value = data.get("change") or "", data.get("change_value")
        if change and kind not in YES_NO:
            self.add_error("change", _("Only a consent or majority proposal can change a setting."))
            return
        if change in (Change.BASIC, Change.NOT_BASIC):
            if data.get("resource") is None:
                self.add_error("resource", _("Pick the resource this changes."))
            data["change_value"] = None
        elif change in ROLE_CHANGES:
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
        elif change == Change.RADIUS:
            if value is not None and value < 0:
                self.add_error("change_value", _("Give a distance of 0 km or more, or leave it empty."))
        elif value is not None:
            self.add_error("change_value", _("Nothing changes: leave the value empty."))
        self._clean_subject(change, data)

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
        lines = [f"{o.label}; {o.cost.normalize():f}; {o.area.name if o.area else ''}" for o in options]
    else:
        lines = [o.label for o in options]
    return {"options": "\n".join(lines), "quorum": int(proposal.quorum * 100)}


# Votes ---------------------------------------------------------------------------------------

CONSENT_ANSWERS = [("agree", _("agree")), ("abstain", _("abstain")),
                   ("disagree", _("disagree")), ("block", _("block"))]
MAJORITY_ANSWERS = [("yes", _("yes")), ("no", _("no")), ("abstain", _("abstain"))]
SCORES = [(str(n), str(n)) for n in range(6)]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                               error_messages={"required": _("Pick an answer.")})

    def __init__(self, *args, proposal, options, **kwargs):
        super().__init__(*args, **kwargs)
        kind = proposal.kind
        self.fields["answer"].choices = CONSENT_ANSWERS if kind == Kind.CONSENT else MAJORITY_ANSWERS

    def choice(self) -> dict:
        return {"answer": self.cleaned_data["answer"]}


class RankForm(forms.Form):
    """One select per option: its rank (1 is your first choice), or not ranked."""

    def __init__(self, *args, proposal, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        ranks = [("", _("not ranked"))] + [(str(n), str(n)) for n in range(1, len(self.options) + 1)]
        for option in self.options:
            self.fields[f"rank_{option.position}"] = forms.TypedChoiceField(
                label=option.label, choices=ranks, coerce=int, required=False, empty_value=None)

    def clean(self):
        data = super().clean()
        by_rank: dict[int, list[str]] = {}
        for option in self.options:
            rank = data.get(f"rank_{option.position}")
            if rank is not None:
                by_rank.setdefault(rank, []).append(f"rank_{option.position}")
        if not by_rank and not self.errors:
            raise forms.ValidationError(_("Rank at least one option: 1 is your first choice."))
        for rank, names in by_rank.items():
            if len(names) > 1:
                for name in names:
                    self.add_error(name, _("Rank %(rank)s is given to more than one option: give each "
                                           "option a different rank.") % {"rank": rank})
        return data

    def choice(self) -> dict:
        ranked = sorted((self.cleaned_data[f"rank_{o.position}"], o.position) for o in self.options
                        if self.cleaned_data.get(f"rank_{o.position}") is not None)
        return {"ranking": [[position] for _, position in ranked]}


class ApproveForm(forms.Form):
    approved = forms.TypedMultipleChoiceField(
        label=_("The options you approve"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Approve at least one option.")})

    def __init__(self, *args, proposal, options, **kwargs):
        super().__init__(*args, **kwargs)
        unit = proposal.resource.unit_label if proposal.resource else ""
        field = self.fields["approved"]
        if proposal.kind == Kind.BUDGET:
            field.label = _("The projects you support")
            field.choices = [(o.position, f"{o.label} ({o.cost.normalize():f} {unit}, {o.area or '-'})")
                             for o in options]
        else:
            field.choices = [(o.position, o.label) for o in options]

    def choice(self) -> dict:
        return {"approved": sorted(self.cleaned_data["approved"])}


class ScoreForm(forms.Form):
    def __init__(self, *args, proposal, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            self.fields[f"score_{option.position}"] = forms.TypedChoiceField(
                label=option.label, choices=SCORES, coerce=int, initial="0")

    def choice(self) -> dict:
        return {"scores": [[o.position, self.cleaned_data[f"score_{o.position}"]] for o in self.options]}


VOTE_FORMS = {Kind.CONSENT: AnswerForm, Kind.MAJORITY: AnswerForm, Kind.RANKED: RankForm,
              Kind.APPROVAL: ApproveForm, Kind.BUDGET: ApproveForm, Kind.SCORE: ScoreForm}


def vote_form(proposal, options, data=None):
    return VOTE_FORMS[proposal.kind](data, proposal=proposal, options=options)
