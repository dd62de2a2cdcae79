"""Pages to propose, vote and read results: parse, check access, delegate to services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinfronteras.prepared import PreparedQuery
from sinfronteras.web.confirm import ask, confirmed

from . import exports, results, services
from .forms import vote_form
from .picker import label_of, labels
from .proposing import CHOOSER, KIND_FORMS, form_class_for, initial_of, refill
from .models import Ballot, Proposal, Status

REFUSALS = {
    "closed": gettext_lazy("Voting on this proposal has closed."),
    "already_voted": gettext_lazy("You have already voted on this proposal. Each member votes once."),
    "organisation": gettext_lazy("An organisation's account does not vote: the people of the "
                                 "collective decide, and only they count in the quorum."),
}


#: Closed proposals the decisions page lists (the newest).
CLOSED_SHOWN = 50

#: The decisions page's queries, compiled once (a page every member opens).
_DUE = PreparedQuery(lambda collective_id, now: Proposal.objects.filter(
    collective_id=collective_id).due(now), collective_id="id", now="datetime")
_OPEN = PreparedQuery(lambda collective_id: Proposal.objects.filter(
    collective_id=collective_id, status=Status.OPEN).select_related("decision"), collective_id="id")
_CLOSED = PreparedQuery(lambda collective_id: Proposal.objects.filter(
    collective_id=collective_id).exclude(status=Status.OPEN).select_related("decision")[:CLOSED_SHOWN],
    collective_id="id")


@login_required
def proposals(request):
    member = request.user
    for proposal in _DUE.objects(collective_id=member.collective_id, now=timezone.now()):
        services.do_close(proposal)
    return render(request, "assembly/proposals.html", {
        "open": _OPEN.objects(collective_id=member.collective_id),
        "closed": _CLOSED.objects(collective_id=member.collective_id),
        "voted": services.voted_on(member),
    })


@login_required
def propose(request):
    """The first page: which kind of proposal."""
    return render(request, "assembly/choose_kind.html", {
        "kinds": CHOOSER, "quorum": int(request.user.collective.default_quorum * 100)})


@login_required
def propose_kind(request, kind):
    """One kind's form; Search refills it with the members found, without saving."""
    form_class = KIND_FORMS.get(kind)
    if form_class is None:
        raise Http404("No such kind of proposal.")
    if request.user.is_organisation:
        messages.error(request, REFUSALS["organisation"])
        return redirect("assembly:proposals")
    form = refill(form_class, request, member=request.user)
    if form.is_bound and form.is_valid():
        proposal = services.do_propose(request.user, form)
        messages.success(request, _("Your proposal is open for votes."))
        return redirect("assembly:proposal", pk=proposal.pk)
    form.focus_first_error()
    return render(request, "assembly/propose.html", {"form": form, "kind": kind, "kinds": CHOOSER})


@login_required
def proposal(request, pk):
    proposal = services.close_if_due(services.access_proposal(request.user, pk))
    options = services.options_of(proposal)
    voted = services.has_voted(request.user, proposal)
    ballot = services.own_ballot(request.user, proposal) if voted else None
    organisation = request.user.is_organisation
    can_vote = proposal.is_open and not voted and not organisation
    form = vote_form(proposal, options, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_vote:
            reason = "organisation" if organisation else "already_voted" if voted else "closed"
            messages.error(request, REFUSALS[reason])
            return redirect("assembly:proposal", pk=pk)
        if form.is_valid():
            try:
                services.do_vote(request.user, proposal, form.choice())
            except services.VoteRefused as refusal:
                messages.error(request, REFUSALS[refusal.reason])
            else:
                messages.success(request, _("Your vote is counted. Thank you."))
            return redirect("assembly:proposal", pk=pk)
    return render(request, "assembly/proposal.html", {
        "proposal": proposal, "options": options, "form": form, "voted": voted, "can_vote": can_vote,
        "organisation": organisation,
        "can_withdraw": services.editable(request.user, proposal),
        "own_ballot": results.ballot_text(ballot.choice, options) if ballot else "",
        "subject_label": label_of(proposal.subject) if proposal.subject else "",
    })


@login_required
def edit(request, pk):
    """The author changes the proposal until somebody votes on it."""
    proposal = services.access_proposal(request.user, pk)
    if not services.editable(request.user, proposal):
        messages.error(request, _("Only its author changes a proposal, and only until somebody "
                                  "votes."))
        return redirect("assembly:proposal", pk=pk)
    form = refill(form_class_for(proposal), request, instance=proposal, member=request.user,
                  initial=initial_of(proposal, services.options_of(proposal)))
    if form.is_bound and form.is_valid():
        try:
            services.do_edit_proposal(request.user, proposal, form)
        except services.WithdrawRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your proposal is changed."))
        return redirect("assembly:proposal", pk=pk)
    form.focus_first_error()
    return render(request, "assembly/propose.html", {"form": form, "proposal": proposal, "kinds": CHOOSER,
                                                     "kind": form_class_for(proposal).slug})


@login_required
def withdraw(request, pk):
    """Asks first (a page, no script needed); the POST from that page (``confirm=yes``)
    withdraws."""
    proposal = services.access_proposal(request.user, pk)
    if request.method != "POST":
        if not services.editable(request.user, proposal):
            messages.error(request, _("Only its author withdraws a proposal, and only until somebody "
                                      "votes."))
            return redirect("assembly:proposal", pk=pk)
        return render(request, "assembly/withdraw.html", {"proposal": proposal})
    if not confirmed(request):  # a bare POST (not from that page) asks again, changes nothing
        return ask(request, title=_("Withdraw your proposal?"), button=_("Yes, withdraw it"),
                   back=reverse("assembly:proposal", args=[pk]), question=_(
                       "\"%(title)s\" will not be voted on or counted. You can make a new "
                       "proposal later.") % {"title": proposal.title})
    try:
        services.do_withdraw(request.user, proposal)
    except services.WithdrawRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your proposal is withdrawn; it will not be counted."))
    return redirect("assembly:proposal", pk=pk)


@login_required
def proposal_results(request, pk):
    proposal = services.close_if_due(services.access_proposal(request.user, pk))
    if proposal.status == Status.WITHDRAWN:
        return redirect("assembly:proposal", pk=pk)
    options = services.options_of(proposal)
    decision = services.decision_of(proposal)
    shown, open_ballots = None, []
    if proposal.results_visible:
        tally = decision.tally if decision else services.tally(proposal)
        shown = results.explain(proposal, options, tally)
        if not proposal.is_secret and not proposal.is_open:
            open_ballots = Ballot.objects.filter(proposal=proposal).select_related("voter")
    return render(request, "assembly/results.html", {
        "proposal": proposal, "options": options, "decision": decision, "shown": shown,
        "voters_so_far": services.voters_so_far(proposal) if proposal.is_open else None,
        "members": services.active_members(proposal.collective_id) if proposal.is_open else None,
        "projects": services.project_needs(decision) if decision else [],
        "subject_label": label_of(proposal.subject) if proposal.subject else "",
        "open_ballots": _named(proposal, open_ballots, options),
        "tally_command": exports.tally_command(proposal) if proposal.export_format else "",
    })


def _named(proposal, open_ballots, options) -> list[tuple]:
    """An open ballot's voters, each labelled so that two namesakes read differently."""
    rows = list(open_ballots)
    named = labels([b.voter for b in rows if b.voter], proposal.collective_id)
    return [(named.get(b.voter_id) if b.voter_id else None, results.ballot_text(b.choice, options))
            for b in rows]


@login_required
def ballots(request, pk, ext):
    proposal = services.close_if_due(services.access_proposal(request.user, pk))
    if proposal.status != Status.CLOSED or proposal.export_format != ext:
        raise Http404("Only a closed proposal's ballots can be downloaded, in its format.")
    choices = list(proposal.ballots.values_list("choice", flat=True))
    text = exports.ballot_file(proposal, services.options_of(proposal), choices,
                               services.decision_of(proposal))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballots-{proposal.pk}.{ext}"'
    return response
