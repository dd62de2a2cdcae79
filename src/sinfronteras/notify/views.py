"""The account page's notification settings, the page script's subscribe calls, the worker."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import PreferenceForm, SubscriptionForm
from .models import PushSubscription, preference_of
from .services import EndpointTaken, do_subscribe


@login_required
@require_POST
def preferences(request):
    form = PreferenceForm(request.POST, instance=preference_of(request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("account")


@login_required
@require_POST
def subscribe(request):
    """The page script posts the device's subscription; JSON in, JSON out."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"detail": _("This device's subscription could not be read."),
                             "fields": sorted(form.errors)}, status=400)
    try:
        do_subscribe(request.user, **form.cleaned_data)
    except EndpointTaken:
        return JsonResponse({"detail": _("This device already gets another member's "
                                         "notifications. They can turn them off on their "
                                         "account page, on this device.")}, status=409)
    return JsonResponse({"devices": request.user.push_subscriptions.count()}, status=201)


@login_required
@require_POST
def unsubscribe(request):
    """This device (its endpoint, from the script) or, with no endpoint, every device."""
    endpoint = request.POST.get("endpoint", "")
    mine = PushSubscription.objects.filter(member=request.user)
    (mine.filter(endpoint=endpoint) if endpoint else mine).delete()
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"devices": mine.count()})
    messages.success(request, _("Notifications are off on every device."))
    return redirect("account")


@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope is the whole site."""
    response = HttpResponse(render_to_string("notify/sw.js"),
                            content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
