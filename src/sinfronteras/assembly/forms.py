"""Forms to vote: the one place a ballot is checked (proposing is in :mod:`.proposing`).

Voting needs no JavaScript: a ranked ballot is one ``<select>`` per option giving
its rank; two options with the same rank are refused with an error on each.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinfronteras.web.formats import amount

from .models import Kind
from .proposing import KIND_FORMS, ProposeForm, form_class_for, initial_of  # noqa: F401 (the forms of the app)

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
        unit = proposal.resource  # the budget's unit, in the reader's language
        field = self.fields["approved"]
        if proposal.kind == Kind.BUDGET:
            field.label = _("The projects you support")
            field.choices = [(o.position, f"{o.label} ({amount(o.cost, unit, 2)}, {o.area or '-'})")
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
