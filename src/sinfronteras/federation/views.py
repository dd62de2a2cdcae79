"""The federation page (every member sees its collectives, rounds and what crossed), and what
the people of a transfer's hand-over do from *My tasks*."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinfronteras.qr import qr_svg

from . import handovers, transfers
from .page import page_context
from .services import INVITE_DAYS, FederationError, do_invite, local_peer


@login_required
def federation_page(request):
    """Collectives, servers and when each last answered; the last rounds; what crossed both
    ways by resource and tier; each peer's part; coordinators: the transfers in progress."""
    return render(request, "federation/federation.html", page_context(request.user))


@login_required
@require_POST
def federation_invite(request):
    """A coordinator makes an invitation code for another collective: shown once, as text and
    as a QR code, in this answer only (never in an address or a log). The other collective's
    members then decide to join with it."""
    member = request.user
    if not member.is_coordinator:
        raise PermissionDenied(_("Only coordinators invite other collectives."))
    try:
        code = do_invite(local_peer(member.collective))
    except FederationError:
        messages.error(request, _("Your collective is in no federation: propose to start one first."))
        return redirect("federation:page")
    context = page_context(member)
    context["invite"] = {"code": code, "days": INVITE_DAYS, "svg": qr_svg(code, scale=3)}
    return render(request, "federation/federation.html", context)


#: What a hand-over's person may do, and what they read once done.
ACTIONS = {
    "handed": (lambda member, h: handovers.do_hand_over(member, h),
               lambda: _("Marked handed over. The other collective confirms when its carrier has it.")),
    "received": (lambda member, h: transfers.do_received(member, h),
                 lambda: _("Marked received. The other collective is told; now bring it to the person in need.")),
    "delivered": (lambda member, h: handovers.do_delivered(member, h), lambda: _("Marked delivered. Thank you.")),
    "decline": (lambda member, h: transfers.do_decline(member, h),
                lambda: _("Declined. Both collectives let it go; the next round plans it again.")),
}


@login_required
@require_POST
def handover_action(request, pk, action):
    try:
        handover = handovers.access(request.user, int(pk))
        do, said = ACTIONS[action]
        do(request.user, handover)
    except handovers.HandoverRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, said())
    return redirect("plans:tasks")


#: The most hand-overs one card's button acts on (a card gathers one place and window).
MOST_AT_ONCE = 200
#: Actions that end or confirm the whole transfer: one hand-over of each transfer is enough.
PER_TRANSFER = ("received", "decline")


@login_required
@require_POST
def handovers_action(request, action):
    """One card of *My tasks*: the same action on each of its hand-overs (one place, one window,
    one other collective); each is done as on its own, and any refused says why."""
    do, said = ACTIONS[action]
    pks = [int(pk) for pk in request.POST.getlist("handover")[:MOST_AT_ONCE] if pk.isdigit() and len(pk) <= 10]
    done, seen, refusals = 0, set(), []
    for pk in dict.fromkeys(pks):
        try:
            handover = handovers.access(request.user, pk)
            if action in PER_TRANSFER and handover.transfer_id in seen:
                continue
            do(request.user, handover)
        except handovers.HandoverRefused as refused:
            refusals.append(str(refused))
        else:
            done += 1
            seen.add(handover.transfer_id)
    for refusal in dict.fromkeys(refusals):
        messages.error(request, refusal)
    if done:
        messages.success(request, said())
    elif not refusals:
        messages.error(request, _("This is not one of your hand-overs."))
    return redirect("plans:tasks")
