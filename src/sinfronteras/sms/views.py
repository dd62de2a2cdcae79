"""The SMS page of a member's account, and the gateway's webhook."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import numbers
from .forms import NumberForm
from .gateway import configured_gateway
from .models import SmsNumber


@sensitive_post_parameters("number")
@login_required
def account_sms(request):
    """Add, change or remove one's number for SMS; choose notifications by SMS."""
    row = SmsNumber.objects.filter(member=request.user).first()
    if request.method == "POST" and "remove" in request.POST:
        numbers.do_remove_number(request.user)
        messages.success(request, _("Your number is removed. No SMS will come from us."))
        return redirect("sms:account")
    enabled = bool(settings.SMS_GATEWAY_URL)
    form = NumberForm(request.POST if enabled and request.method == "POST" else None,
                      has_number=row is not None, initial={"notify": row.notify if row else True})
    if form.is_bound and form.is_valid():
        try:
            if form.cleaned_data["number"]:
                numbers.do_set_number(request.user, form.cleaned_data["number"],
                                      form.cleaned_data["notify"])
            else:
                numbers.do_set_notify(request.user, form.cleaned_data["notify"])
        except numbers.BadNumber as error:
            form.add_error("number", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("sms:account")
    return render(request, "sms/account_sms.html", {
        "form": form, "row": row, "enabled": enabled,
        "number_to_text": settings.SMS_NUMBER_TO_TEXT})


@csrf_exempt
@require_POST
def webhook(request):
    """Where the gateway posts its events. A forged or stale one is refused (403) and
    nothing is stored; a genuine SMS is handled and answered by the worker."""
    from .inbound import do_receive

    gateway = configured_gateway()
    if gateway is None:
        raise Http404("SMS is not set up here.")
    inbound = gateway.verify(request)
    if inbound is None:
        return HttpResponseForbidden("Bad or stale signature.", content_type="text/plain")
    if inbound["event"] != "sms:received" or not inbound["sender"]:
        return HttpResponse("ignored", content_type="text/plain")
    # The gateway retries an event it thinks was lost: handle each event once.
    if inbound["id"] and not cache.add(f"sms-event:{inbound['id']}", 1,
                                       timeout=2 * settings.SMS_WEBHOOK_MAX_AGE + 60):
        return HttpResponse("seen", content_type="text/plain")
    do_receive(gateway, inbound)
    return HttpResponse("ok", content_type="text/plain")
