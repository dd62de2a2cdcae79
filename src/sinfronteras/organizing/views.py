"""Organizing pages: parse, check access, delegate to services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import services, stats
from .forms import (ActionForm, BreakForm, CommitmentForm, ConversationForm, HelpForm, ResultsForm,
                    SettingsForm)
from .models import Action, Commitment, CommitmentState, Conversation


@login_required
def home(request):
    member = request.user
    now = timezone.now()
    actions = Action.objects.filter(collective_id=member.collective_id).select_related("area")
    return render(request, "organizing/home.html", {
        "upcoming": actions.filter(starts_at__gte=now)[:20],
        "past": actions.filter(starts_at__lt=now).order_by("-starts_at")[:10],
        "on_break": member.on_break(),
    })


@login_required
def action_new(request):
    form = ActionForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        action = services.do_create_action(request.user, form)
        if action.links.exists():
            messages.success(request, _("The action is planned; its needs are open for offers."))
        else:
            messages.info(request, _("The action is on the calendar. It asks for nothing: no "
                                     "people and no copies, so the plan sends nothing to it."))
        return redirect("organizing:action", pk=action.pk)
    return render(request, "organizing/action_form.html", {"form": form})


@login_required
def action_page(request, pk):
    action = services.access_action(request.user, pk)
    can_write = action.organizer_id == request.user.pk or request.user.is_coordinator
    return render(request, "organizing/action.html", {
        "action": action, "needs": services.action_needs(action), "can_write": can_write,
        "coming": services.people_coming(action),
        "commitments": action.commitments.select_related("member", "action"),
        "over": action.is_over(),
    })


@login_required
def action_results(request, pk):
    action = services.access_action(request.user, pk, write=True)
    if not action.is_past:
        messages.info(request, _("Results are recorded after the action."))
        return redirect("organizing:action", pk=pk)
    form = ResultsForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        drawn = services.do_record_results(request.user, action, form)
        messages.success(request, _("Thank you. The results are recorded, and the action's needs "
                                    "are closed: no plan sends anything to it now."))
        for offer, copies in drawn:
            messages.info(request, _("%(n)s copies were taken from the offer of %(giver)s in "
                                     "%(area)s.") % {
                "n": copies, "area": offer.area,
                "giver": offer.posted_by.display_name if offer.posted_by else _("a member who left")})
        return redirect("organizing:action", pk=pk)
    return render(request, "organizing/results_form.html", {"form": form, "action": action})


@login_required
def conversations(request):
    member = request.user
    rows = Conversation.objects.visible_to(member).select_related("area", "follow_up_by", "logged_by")
    return render(request, "organizing/conversations.html", {
        "rows": rows[:100], "days": services.settings_of(member.collective).conversation_days})


@sensitive_post_parameters("contact")
@login_required
def conversation_new(request):
    form = ConversationForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        conversation = services.do_log_conversation(request.user, form)
        messages.success(request, _("The conversation is logged."))
        return redirect("organizing:conversation", pk=conversation.pk)
    return render(request, "organizing/conversation_form.html", {"form": form})


@login_required
def conversation_page(request, pk, link=None):
    conversation = services.access_conversation(request.user, pk)
    return render(request, "organizing/conversation.html", {
        "c": conversation, "contact": services.readable_contact(request.user, conversation),
        "link": link})


@login_required
@require_POST
def conversation_followed(request, pk):
    conversation = services.access_conversation(request.user, pk)
    if services.do_mark_followed_up(request.user, conversation):
        messages.success(request, _("Followed up. Thank you."))
    return redirect("plans:tasks" if request.POST.get("next") == "tasks" else "organizing:conversations")


@login_required
@require_POST
def conversation_invite(request, pk):
    conversation = services.access_conversation(request.user, pk)
    token = services.do_invite_from(request.user, conversation)
    messages.success(request, _("Invitation created. Give this link to them only; it is shown once."))
    return conversation_page(request, pk, link=request.build_absolute_uri(reverse("join", args=[token])))


@login_required
def commitments(request):
    member = request.user
    rows = list(Commitment.objects.filter(collective_id=member.collective_id)
                .select_related("member", "action").order_by("due_on", "pk")[:200])
    today = timezone.localdate()
    return render(request, "organizing/commitments.html", {
        "due": [c for c in rows if c.state == CommitmentState.DUE],
        "needs_help": [c for c in rows if c.state == CommitmentState.NEEDS_HELP],
        "settled": [c for c in rows if c.state in (CommitmentState.DONE, CommitmentState.LET_GO)][-30:],
        "today": today,
    })


@login_required
def commitment_new(request):
    form = CommitmentForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        services.do_commit(request.user, form)
        messages.success(request, _("Your commitment is noted. Check in any time."))
        return redirect("organizing:commitments")
    return render(request, "organizing/commitment_form.html", {"form": form})


@login_required
@require_POST
def commitment_check_in(request, pk, state):
    commitment = services.access_commitment(request.user, pk, write=True)
    services.do_check_in(request.user, commitment, state)
    messages.success(request, {"done": _("Done. Thank you."),
                               "let_go": _("Let go. Thank you for saying so."),
                               "due": _("Back on the list.")}[state])
    return redirect("organizing:commitments")


@login_required
def commitment_help(request, pk):
    commitment = services.access_commitment(request.user, pk, write=True)
    form = HelpForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        services.do_ask_for_help(request.user, commitment, form.cleaned_data["resource"],
                                 form.cleaned_data["quantity"])
        messages.success(request, _("Your call for help is a need now; the next plan looks for it."))
        return redirect("organizing:commitments")
    return render(request, "organizing/help_form.html", {"form": form, "commitment": commitment})


@login_required
def care_break(request):
    member = request.user
    form = BreakForm(request.POST or None)
    if request.method == "POST" and "back" in request.POST:
        services.do_take_break(member, None)
        messages.success(request, _("Welcome back. Your offers count again in the next plan."))
        return redirect("organizing:home")
    if request.method == "POST" and form.is_valid():
        services.do_take_break(member, form.cleaned_data["until"])
        messages.success(request, _("Rest well. Your offers are paused until you are back."))
        return redirect("organizing:home")
    return render(request, "organizing/break_form.html", {"form": form, "on_break": member.on_break()})


@login_required
def numbers(request):
    collective = request.user.collective
    services.do_sync_joins(collective)
    actions = stats.per_action(collective)
    return render(request, "organizing/numbers.html", {
        "charts": stats.charts(collective), "months": stats.per_month(collective),
        "actions": actions, "action_chart": stats.action_chart(actions),
        "totals": stats.totals(collective),
    })


@login_required
def organizing_settings(request):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("Only coordinators change this, as the members decided."))
    form = SettingsForm(request.POST or None, instance=services.settings_of(request.user.collective))
    if request.method == "POST" and form.is_valid():
        services.do_change_settings(request.user, form)
        messages.success(request, _("Saved, and written in the audit log."))
        return redirect("organizing:conversations")
    return render(request, "organizing/settings.html", {"form": form})
