"""Plan pages (coordinators), "My tasks" (everyone), task pages and their messages,
sealed addresses and pickup points."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sinfronteras.assembly.models import Decision
from sinfronteras.federation.models import Peer, PeerState
from sinfronteras.sharing.bounds import id_in_range
from sinfronteras.sharing.capacity import outliers
from sinfronteras.sharing.models import Need, Offer
from sinfronteras.sharing.services import access_need, access_offer
from sinfronteras.web.confirm import ask, confirmed
from sinfronteras.web.formats import amount

from . import alerts, dropped, handover, lifecycle, report, runs, screen, task_messages
from .addresses import (AddressForm, PickupForm, do_delete_address, do_delete_pickup,
                        do_seal_address, do_seal_pickup, readable_address, readable_pickup)
from .export import NoSuchRun, pick_run, plan_document, problem_document
from .models import LIVE_STATES, AreaAlert, Task, TaskState
from .status import need_states


def decisions_of(run) -> list:
    """The decisions a run followed, oldest first, with their proposals (title, link)."""
    found = {d.pk: d for d in Decision.objects.filter(
        pk__in=run.decisions or [], proposal__collective_id=run.collective_id,
    ).select_related("proposal")}
    return [found[pk] for pk in run.decisions or [] if pk in found]


def coordinator_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied(_("Only coordinators run the plan."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


#: Needs not fully met shown per page of the plan page.
UNMET_PER_PAGE = 25


@login_required
def plan_page(request):
    """Every member reads the last plan's summary and the decisions that shaped it (no
    names); coordinators also make the plan and go through every need it did not meet."""
    member = request.user
    collective = member.collective
    run = runs.latest_run(collective)
    shown = run if run and run.status == "done" else runs.latest_done_run(collective)
    rows = report.tier_rows(shown.summary) if shown else []
    for row in rows:
        row["lines"] = report.promise_lines(row)
    context = {
        "run": run, "shown": shown, "rows": rows, "chart": report.bars(rows),
        "shortages": report.shortage_sentences(shown.summary) if shown else [],
        "decisions": decisions_of(shown) if shown else [],
        "trips": report.trips(shown) if shown else None,
        "left_out": [dict(row, words=screen.REASONS.get(row["reason"], row["reason"]))
                     for row in shown.left_out] if shown else [],
        "coordinator": member.is_coordinator,
        "no_pickup": report.carries_without_pickup(shown) if shown else 0,
        "pickup_hours": collective.pickup_hours,
        "federation": _federation_of(collective),
    }
    if shown and member.is_coordinator:
        context["uncarried"] = _readable(collective, shown.summary.get("carriers", {}).get("uncarried", [])[:20])
        context["untimed"] = _readable(collective, shown.summary.get("untimed", [])[:20])
        context.update(report.unmet_page(shown, request.GET, UNMET_PER_PAGE))
    if member.is_coordinator:
        context["outliers"] = outliers(collective)
    return render(request, "plans/plan.html", context)


def _readable(collective, rows) -> list[dict]:
    """A stored summary's rows with their resource (for its unit and name) and area."""
    resources = {r.key: r for r in collective.resources.all()}
    areas = dict(Need.objects.filter(collective=collective, pk__in=[r.get("need") for r in rows])
                 .values_list("pk", "area__name"))
    return [dict(row, res=resources.get(row.get("resource")),
                 area=row.get("to") or areas.get(row.get("need"), "")) for row in rows]


def _federation_of(collective):
    """The federation the collective plans with, or None (its page says what crossed)."""
    peer = (Peer.objects.filter(collective=collective).exclude(state=PeerState.LEFT)
            .select_related("federation").order_by("-joined_at").first())
    return peer.federation if peer else None


@login_required
def plan_export(request, name):
    """Any member downloads the last run's (or run ``?run=N``'s) problem or plan, format v1,
    with the API's ids and no member named, to re-plan it with ``sinfronteras plan``."""
    number = request.GET.get("run")
    try:
        run = pick_run(request.user.collective, int(number) if number else None)
    except (NoSuchRun, ValueError):
        raise Http404(_("No finished plan run of that number.")) from None
    doc = problem_document(run) if name == "problem" else plan_document(run)
    response = HttpResponse(json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def alerts_page(request):
    """Every member may pause deliveries in an area (safe when wrong: nothing moves there)."""
    chosen = request.GET.get("area", "")  # from the "Raid reported" button: their area
    area = int(chosen) if id_in_range(chosen) and request.user.collective.areas.filter(
        pk=chosen).exists() else request.user.area_id
    form = alerts.AlertForm(request.POST or None, collective=request.user.collective,
                            initial={"area": area})
    if request.method == "POST" and form.is_valid():
        alerts.do_raise_alert(request.user, form.cleaned_data["area"], form.cleaned_data["hours"])
        messages.warning(request, _("Alert raised: deliveries in %(area)s are paused.")
                         % {"area": form.cleaned_data["area"]})
        return redirect("plans:alerts")
    return render(request, "plans/alerts.html", {"form": form})


@login_required
@require_POST
def alert_lift(request, pk):
    """A coordinator, or the member who raised it, lifts an alert."""
    alert = AreaAlert.objects.filter(pk=pk, collective_id=request.user.collective_id).first()
    if alert is None:
        raise Http404("No such alert.")
    if not alerts.can_lift(request.user, alert):
        raise PermissionDenied(_("Only a coordinator or the member who raised it lifts an alert."))
    if not confirmed(request):
        return ask(request, title=_("Lift the alert in %(area)s?") % {"area": alert.area},
                   button=_("Yes, lift it"), back=reverse("plans:alerts"), question=_(
                       "Deliveries in %(area)s start again: the next plan includes it, and "
                       "carriers can go there. Lift it only when it is safe.") % {"area": alert.area})
    alerts.do_lift_alert(request.user, alert)
    messages.success(request, _("Alert lifted: the next plan includes %(area)s again.")
                     % {"area": alert.area})
    return redirect("plans:alerts")


@coordinator_required
@require_POST
def plan_run(request):
    try:
        runs.do_request_run(request.user.collective, request.user)
        messages.success(request, _("The plan is being made."))
    except runs.RunBusy:
        messages.info(request, _("A plan is already being made; here is its progress."))
    return redirect("plans:plan")


@login_required
def my_tasks(request):
    member = request.user
    return render(request, "plans/tasks.html", {
        "tasks": handover.mark_givers_part(lifecycle.my_tasks_shown(member), member),
        "pickup_form": PickupForm(),
        "open_tasks": lifecycle.open_tasks_for(member)[:30],
        "needs": need_states(member),
        "dropped": dropped.dropped_for(member),
        "gives": lifecycle.gives_anything(member),
    })


@login_required
def task_page(request, pk, message_form=None, pickup_form=None):
    task = lifecycle.access_task(request.user, pk)
    paused = alerts.touches(task, alerts.alerted_area_ids(task.need.collective_id))
    role = task.role_of(request.user)
    about = handover.describe(task, request.user)
    if role:
        task_messages.mark_seen(request.user, task)
    early = task.state == TaskState.ACCEPTED and lifecycle.too_early(task)
    return render(request, "plans/task.html", {
        "too_early": early, "done_from": lifecycle.done_from_text(task) if early else "",
        "pickup_form": (pickup_form or PickupForm()) if about["asks_pickup"] else None,
        "task": task, "address": readable_address(request.user, task), "paused": paused,
        "pickup": readable_pickup(request.user, task), "about": about,
        "can_take": (task.state == TaskState.OPEN and not paused
                     and lifecycle.eligible_carrier_offer(request.user, task)),
        "role": role, "thread": task_messages.visible_messages(request.user, task),
        "dropped": dropped.words(task, role),
        "message_form": (message_form or task_messages.MessageForm())
        if role and task.state in LIVE_STATES else None,
    }, status=400 if message_form is not None or pickup_form is not None else 200)


@sensitive_post_parameters("text")
@login_required
@require_POST
def task_message(request, pk):
    """One of the task's people writes to the others; nothing of it is logged."""
    task = lifecycle.access_task(request.user, pk)
    form = task_messages.MessageForm(request.POST)
    if not form.is_valid():
        return task_page(request, pk, message_form=form)
    try:
        task_messages.do_post_message(request.user, task, form.cleaned_data["text"])
    except lifecycle.TaskRefused as refused:
        messages.error(request, str(refused))
    return redirect(f"{reverse('plans:task', args=[task.pk])}#messages")


@login_required
@require_POST
def task_action(request, pk, action):
    task = lifecycle.access_task(request.user, pk)
    if (action == "done" and task.carrier_id == request.user.pk  # refused before asking
            and task.state == TaskState.ACCEPTED and lifecycle.too_early(task)):
        messages.error(request, _("Not yet: the delivery's window has not started.") + " "
                       + lifecycle.done_from_text(task))
        return redirect("plans:task", pk=task.pk)
    if action == "done" and not confirmed(request):
        return ask(request, title=_("Mark this delivery done?"), danger=False,
                   button=_("Yes, it was handed over"), back=reverse("plans:task", args=[pk]),
                   question=_("Only when %(what)s has been handed over: the person in need then "
                              "reads \"done\", and the delivery address is destroyed.") % {
                       "what": f"{amount(task.quantity, task.need.resource)} · "
                               f"{task.need.resource.name}"})
    do = {"accept": lifecycle.do_accept, "decline": lifecycle.do_decline,
          "take": lifecycle.do_take, "done": lifecycle.do_done}[action]
    try:
        do(request.user, task)
    except lifecycle.TaskRefused as refused:
        messages.error(request, str(refused))
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def share_names(request, pk, what):
    """The person in need (need pk) or the giver (task pk) agrees to share names."""
    try:
        if what == "need":
            lifecycle.do_share_names(request.user, need=access_need(request.user, pk))
            return redirect("plans:tasks")
        task = lifecycle.access_task(request.user, pk)
        lifecycle.do_share_names(request.user, task=task)
    except lifecycle.TaskRefused as refused:
        messages.error(request, str(refused))
        return redirect("plans:tasks")
    return redirect("plans:task", pk=task.pk)


def _own_need(member, pk):
    """The member's own need: only the person in need gives (or destroys) its address."""
    need = access_need(member, pk, write=True)
    if need.posted_by_id != member.pk:
        raise PermissionDenied(_("Only the person in need gives an address."))
    return need


def _own_offer(member, pk):
    """The member's own offer: only the giver gives (or destroys) its pickup point."""
    offer = access_offer(member, pk, write=True)
    if offer.posted_by_id != member.pk:
        raise PermissionDenied(_("Only the giver gives a pickup point."))
    return offer


@sensitive_post_parameters("address")
@login_required
def need_address(request, pk):
    need = _own_need(request.user, pk)
    if hasattr(need, "action_link"):
        raise PermissionDenied(_("An action's needs are brought to the action: they take no "
                                 "delivery address."))
    if hasattr(need, "project_link") and need.project_link.place:
        raise PermissionDenied(_("A project of the collective is brought to its public place: it "
                                 "takes no delivery address."))
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_seal_address(need, form.cleaned_data["address"])
        messages.success(request, _("Sealed. Only the volunteer who brings it can read it, and only "
                                    "while the delivery is on."))
        return redirect("plans:tasks")
    return render(request, "plans/address.html", {"form": form, "need": need,
                                                  "sealed": hasattr(need, "sealed_address")})


@login_required
@require_POST
def need_address_delete(request, pk):
    need = _own_need(request.user, pk)
    if do_delete_address(need):
        messages.success(request, _("The sealed address is destroyed."))
    return redirect("plans:tasks")


def _back_to_task(request, offer):
    """The task page the giver sealed from (``task`` in the form), if it is a carry of
    this offer; else None (back to the offers)."""
    pk = request.POST.get("task", "")
    if pk.isascii() and pk.isdigit() and len(pk) < 12:
        return Task.objects.filter(pk=int(pk), offer=offer).values_list("pk", flat=True).first()
    return None


@sensitive_post_parameters("address")
@login_required
def offer_pickup(request, pk):
    """The giver seals where their offer is picked up, under the delivery address's rules
    (from the offer, from *My tasks* or from the carry's page, which it goes back to)."""
    offer = _own_offer(request.user, pk)
    form = PickupForm(request.POST or None)
    task_pk = _back_to_task(request, offer) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        do_seal_pickup(offer, form.cleaned_data["address"])
        messages.success(request, _("Sealed. Only the volunteer who picks it up can read it, and "
                                    "only during the carry's window."))
        if request.POST.get("from") == "tasks":
            return redirect("plans:tasks")
        return redirect("plans:task", pk=task_pk) if task_pk else redirect("offers")
    if task_pk:
        return task_page(request, task_pk, pickup_form=form)
    return render(request, "plans/pickup.html", {"form": form, "offer": offer,
                                                 "sealed": hasattr(offer, "sealed_pickup")})


@login_required
@require_POST
def offer_pickup_delete(request, pk):
    offer = _own_offer(request.user, pk)
    if do_delete_pickup(offer):
        messages.success(request, _("The sealed pickup point is destroyed."))
    return redirect("offers")
