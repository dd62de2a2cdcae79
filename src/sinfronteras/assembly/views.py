"""Pages to propose, vote and read results: parse, check access, delegate to services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinfronteras.web.confirm import ask, confirmed

from . import exports, results, services
from .forms import ProposeForm, initial_of, vote_form
from .models import Ballot, Proposal, Status

REFUSALS = {
    "closed": gettext_lazy("Voting on this proposal has closed."),
    "already_voted": gettext_lazy("You have already voted on this proposal. Each member votes once."),
}


@login_required
def proposals(request):
    member = request.user
    for proposal in Proposal.objects.of(member).due():
        services.do_close(proposal)
    rows = Proposal.objects.of(member).select_related("decision")
    voted = services.voted_on(member)
    return render(request, "assembly/proposals.html", {
        "open": [p for p in rows if p.status == Status.OPEN],
        "closed": [p for p in rows if p.status != Status.OPEN][:50],
        "voted": voted,
    })


@login_required
def propose(request):
    form = ProposeForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        proposal = services.do_propose(request.user, form)
        messages.success(request, _("Your proposal is open for votes."))
        return redirect("assembly:proposal", pk=proposal.pk)
    return render(request, "assembly/propose.html", {"form": form})


@login_required
def proposal(request, pk):
    proposal = services.close_if_due(services.access_proposal(request.user, pk))
    options = services.options_of(proposal)
    voted = services.has_voted(request.user, proposal)
    can_vote = proposal.is_open and not voted
    form = vote_form(proposal, options, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_vote:
            messages.error(request, REFUSALS["already_voted" if voted else "closed"])
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
        "can_withdraw": services.editable(request.user, proposal),
    })


@login_required
def edit(request, pk):
    """The author changes the proposal until somebody votes on it."""
    proposal = services.access_proposal(request.user, pk)
    if not services.editable(request.user, proposal):
        messages.error(request, _("Only its author changes a proposal, and only until somebody "
                                  "votes."))
        return redirect("assembly:proposal", pk=pk)
    form = ProposeForm(request.POST or None, instance=proposal, member=request.user,
                       initial=initial_of(proposal, services.options_of(proposal)))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_edit_proposal(request.user, proposal, form)
        except services.WithdrawRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your proposal is changed."))
        return redirect("assembly:proposal", pk=pk)
    return render(request, "assembly/propose.html", {"form": form, "proposal": proposal})


@login_required
@require_POST
def withdraw(request, pk):
    proposal = services.access_proposal(request.user, pk)
    if not confirmed(request):
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
        "open_ballots": [(b.voter, results.ballot_text(b.choice, options)) for b in open_ballots],
        "tally_command": exports.tally_command(proposal) if proposal.export_format else "",
    })


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
