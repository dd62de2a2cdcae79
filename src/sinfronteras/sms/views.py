"""The SMS page of a member's account, and the gateway's webhook."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sinfronteras.plans.sealing import seal

from . import numbers, services
from .forms import NumberForm
from .gateway import configured_gateway
from .inbound import event_key, once
from .jobs import receive_sms
from .models import SmsNumber, SmsSeen
from .limits import CODES_PER_DAY


@sensitive_post_parameters("number")
@login_required
def account_sms(request):
    """Add, change or remove one's number for SMS; choose notifications by SMS."""
    row = SmsNumber.objects.filter(member=request.user).first()
    if request.method == "POST" and "remove" in request.POST:
        numbers.do_remove_number(request.user)
        messages.success(request, _("Your number is removed. No SMS will come from us."))
        return redirect("sms:account")
    enabled = configured_gateway() is not None
    form = NumberForm(request.POST if enabled and request.method == "POST" else None,
                      has_number=row is not None, initial={"notify": row.notify if row else True})
    if form.is_bound and form.is_valid():
        try:
            claim = None
            if form.cleaned_data["number"]:
                # Free or someone else's, the answer is the same: a code goes to the number.
                claim = services.do_claim_number(request.user, form.cleaned_data["number"],
                                                form.cleaned_data["notify"])
            else:
                numbers.do_set_notify(request.user, form.cleaned_data["notify"])
        except numbers.BadNumber as error:
            form.add_error("number", str(error))
        except services.TooManyCodes:
            form.add_error("number", _("You asked for %(n)d codes today: try again tomorrow.")
                           % {"n": CODES_PER_DAY})
        else:
            if claim is not None:
                messages.success(request, _(
                    "A code is on its way to the number ending in %(ending)s. Text it back from "
                    "that phone within %(minutes)d minutes: then the number is yours here.") % {
                    "ending": claim.ending, "minutes": numbers.CODE_MINUTES})
            else:
                messages.success(request, _("Saved."))
            return redirect("sms:account")
    return render(request, "sms/account_sms.html", {
        "form": form, "row": row, "enabled": enabled, "claim": numbers.pending_claim(request.user),
        "number_to_text": settings.SMS_NUMBER_TO_TEXT,
        "demo_phone": settings.SMS_DEMO_PHONE})


@csrf_exempt
@require_POST
def webhook(request):
    """Where the gateway posts its events. A forged or stale one is refused (403) and
    nothing is stored; a genuine SMS is queued, sealed, and the worker handles and
    answers it: the request sends nothing and waits on nothing."""
    gateway = configured_gateway()
    if gateway is None:
        raise Http404("SMS is not set up here.")
    inbound = gateway.verify(request)
    if inbound is None:
        return HttpResponseForbidden("Bad or stale signature.", content_type="text/plain")
    if inbound["event"] != "sms:received" or not inbound["sender"]:
        return HttpResponse("ignored", content_type="text/plain")
    # The gateway retries an event it thinks was lost: handle each event once (a row with
    # a unique key and an expiry; with no id, the signature itself is the key).
    key = event_key(inbound["id"] or request.headers.get("X-Signature", ""))
    with transaction.atomic():  # seen and queued together, or neither (the gateway retries)
        if not once(SmsSeen.EVENT, key, 2 * settings.SMS_WEBHOOK_MAX_AGE + 60):
            return HttpResponse("seen", content_type="text/plain")
        # Nothing slow here, for members and strangers alike: the worker does the rest.
        receive_sms.enqueue(seal(json.dumps({k: inbound[k] for k in ("id", "sender", "text")})).decode())
    return HttpResponse("ok", content_type="text/plain")
