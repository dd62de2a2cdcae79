"""The federation page (every member sees its collectives, rounds and what crossed), and what
the people of a transfer's hand-over do from *My tasks*."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import handovers, transfers
from .page import page_context


@login_required
def federation_page(request):
    """Collectives, servers and when each last answered; the last rounds; what crossed both
    ways by resource and tier; each peer's part; coordinators: the transfers in progress."""
    return render(request, "federation/federation.html", page_context(request.user))


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
