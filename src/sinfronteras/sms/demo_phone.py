"""The demo's simulated phone (``SMS_DEMO_PHONE``; `make demo` turns it on, production
refuses it): try SMS before buying a phone.

Two sides, each speaking the published API of SMS Gateway for Android, so the rest of
the site cannot tell it from a real gateway:

- ``gateway``: where the worker posts an SMS to send (``POST .../message``, basic auth):
  the simulated phone "receives" it, sealed, under the keyed hash of the number.
- ``phone``: the page where one types as a member's phone. Sending posts a signed
  ``sms:received`` event to the site's own webhook over HTTP, as the app would; the
  replies come back through the worker and appear on the page.

The number typed is in no row, URL or log: the page carries it in its form only.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sinfronteras.plans.sealing import Unreadable, seal, unseal
from sinfronteras.web.once import once_exempt

from .gateway import signature
from .inbound import MAX_TEXT
from .models import DemoPhoneSms
from .numbers import BadNumber, normalize, sender_hash

#: Messages shown on the phone, the newest last.
SHOWN = 30


def _on() -> None:
    if not settings.SMS_DEMO_PHONE:
        raise Http404("There is no demo phone here.")


class PhoneForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("This phone's number"), max_length=30, strip=True,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("Any number, e.g. +1 213 555 0100: type the one you put on your "
                               "SMS page to receive its code."),
        error_messages={"required": gettext_lazy("Write this phone's number.")})
    text = forms.CharField(
        label=gettext_lazy("Message"), max_length=MAX_TEXT, required=False, strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example FOOD 5, TASKS, or the code you received."))

    def clean_number(self):
        try:
            return normalize(self.cleaned_data["number"])
        except BadNumber as error:
            raise forms.ValidationError(str(error)) from None


def _keep(number: str, text: str, *, received: bool) -> None:
    DemoPhoneSms.objects.create(sender_hash=sender_hash(number), received=received,
                                ciphertext=seal(text))


def _conversation(number: str) -> list[dict]:
    rows = DemoPhoneSms.objects.filter(sender_hash=sender_hash(number)).order_by("-created_at", "-pk")
    shown = []
    for row in reversed(rows[:SHOWN]):
        try:
            text = unseal(row.ciphertext)
        except Unreadable:
            continue
        shown.append({"received": row.received, "text": text, "at": row.created_at})
    return shown


def _post_to_webhook(request, number: str, text: str) -> bool:
    """What the app does when an SMS arrives: a signed ``sms:received`` event."""
    body = json.dumps({
        "deviceId": "demo-phone", "event": "sms:received", "id": secrets.token_urlsafe(15)[:21],
        "payload": {"messageId": secrets.token_hex(4), "message": text, "phoneNumber": number,
                    "simNumber": 1, "receivedAt": timezone.now().isoformat(timespec="milliseconds")},
        "webhookId": "demo-phone"}).encode()
    stamp = str(int(time.time()))
    webhook = urllib.request.Request(
        request.build_absolute_uri(reverse("sms:webhook")), data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Timestamp": stamp,
            "X-Signature": signature(settings.SMS_WEBHOOK_KEY, body, stamp)})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(webhook, timeout=15) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


@once_exempt  # it posts to the site's own webhook while it runs
@sensitive_post_parameters("number", "text")
@login_required
def phone(request):
    """The simulated phone: type as a phone, send an SMS, read what came back."""
    _on()
    form = PhoneForm(request.POST or None)
    conversation, sent = None, None
    if request.method == "POST" and form.is_valid():
        number, text = form.cleaned_data["number"], form.cleaned_data["text"]
        if text and "send" in request.POST:
            _keep(number, text, received=False)
            sent = _post_to_webhook(request, number, text)
            if not sent:
                form.add_error(None, _("The site did not take the SMS. Is the server running?"))
        conversation = _conversation(number)
        form = PhoneForm(initial={"number": form.data.get("number", "")})
    return render(request, "sms/demo_phone.html", {
        "form": form, "conversation": conversation, "sent": sent})


@csrf_exempt
@require_POST
def gateway(request):
    """The gateway's ``POST /message``: the simulated phone receives what the site sends."""
    _on()
    expected = "Basic " + base64.b64encode(
        f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}".encode()).decode()
    if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
        return JsonResponse({"message": "Unauthorized"}, status=401)
    try:
        data = json.loads(request.body)
        text = data["textMessage"]["text"]
        numbers = [normalize(n) for n in data["phoneNumbers"]]
    except (ValueError, KeyError, TypeError, BadNumber):
        return JsonResponse({"message": "Bad Request"}, status=400)
    if not isinstance(text, str) or not text or not numbers:
        return JsonResponse({"message": "Bad Request"}, status=400)
    for number in numbers:
        _keep(number, text, received=True)
    return JsonResponse({"id": secrets.token_urlsafe(15)[:21], "state": "Pending"}, status=202)


