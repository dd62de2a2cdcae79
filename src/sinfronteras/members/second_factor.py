"""Two factors for coordinators (DESIGN.md): a TOTP code from an authenticator app.

A coordinator's session holds no coordinator power until a second factor is
verified: the middleware sends them to set one up (first time) or to enter a
code. Setting one up also gives ten one-time recovery codes, shown once, for a
lost phone. Members are not asked; nothing here stores an IP address or a
device name beyond "authenticator" and "recovery codes".
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from sinfronteras.audit.models import record
from sinfronteras.qr import qr_svg

#: Paths a coordinator may open before the second factor (besides the 2FA pages).
# /sw.js: browsers check the service worker for updates on their own, and a redirect fails it.
OPEN_PREFIXES = ("/static/", "/logout/", "/language/", "/login/", "/api/", "/sw.js")
RECOVERY_CODES = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # django-otp's StaticToken.random_token()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app, or a recovery code"),
        max_length=40,
        error_messages={"required": gettext_lazy("Type the six digits your app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def __init__(self, *args, device, recovery=(), letters=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.device, self.recovery = device, list(recovery)
        if letters:  # a recovery code has letters: the phone shows its full keyboard
            self.fields["code"].label = gettext_lazy("Recovery code")
        else:  # six digits: the phone shows its number pad
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if TOTP_CODE.fullmatch(code):
            device, wrong = self.device, _("That code is not right (or has expired). Try the next one.")
        elif RECOVERY_CODE.fullmatch(code) and self.recovery:
            # Codes from this page and any from the operator (``addstatictoken``).
            device = next((d for d in self.recovery if d.token_set.filter(token=code).exists()),
                          self.recovery[0])
            wrong = _("That recovery code is not one of yours, or it was used.")
        else:
            raise forms.ValidationError(
                _("Type the six digits your app shows now, or one of your recovery codes."))
        allowed, _detail = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a minute and try again."))
        if not (verify_totp(device, code) if TOTP_CODE.fullmatch(code) else device.verify_token(code)):
            raise forms.ValidationError(wrong)
        self.verified_device = device
        return code


#: Steps of 30 s a code may be away from the real clock, around it and around the phone's
#: measured drift; and the most that measured drift may be. A code is good once, so each
#: login takes a step: with the window always anchored on the real clock (never on the
#: last code's step, as django-otp's sync does), quick logins in a row never walk the
#: window away from the phone, and a phone whose clock drifts is followed up to 90 s.
TOLERANCE = 1
MAX_DRIFT = 2


def _offsets(device) -> list[int]:
    drift = max(-MAX_DRIFT, min(MAX_DRIFT, device.drift))
    around = set(range(-TOLERANCE, TOLERANCE + 1)) | set(range(drift - TOLERANCE, drift + TOLERANCE + 1))
    return sorted(around, key=lambda offset: (abs(offset), offset))


def _clock(device, now=None):
    import time

    from django_otp.oath import TOTP

    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    clock.time = time.time() if now is None else now
    return clock


def verify_totp(device, code: str, now=None) -> bool:
    """Check an authenticator's code against the real clock (drift corrected, never
    accumulated); a code is good once. Counts a wrong code against the device."""
    clock = _clock(device, now)
    real = clock.t()
    for offset in _offsets(device):
        if real + offset <= device.last_t:
            continue  # used already (or older than a code used)
        clock.drift = offset
        if f"{clock.token():0{device.digits}d}" == code:
            device.last_t, device.drift = real + offset, offset  # measured, not added
            device.throttle_reset(commit=False)
            device.set_last_used_timestamp(commit=False)
            device.save()
            return True
    device.throttle_increment(commit=True)
    return False


def next_code(device, now=None) -> str | None:
    """A code the server accepts now, not yet used, of this step or a later one (so that it
    is still good when the clock turns); ``None`` when every such code is used: wait for
    the next step. For the demo's ``democode`` and the tests."""
    clock = _clock(device, now)
    real = clock.t()
    for offset in sorted(o for o in _offsets(device) if o >= 0):
        if real + offset > device.last_t:
            clock.drift = offset
            return f"{clock.token():0{device.digits}d}"
    return None


def _device(member, *, confirmed):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=member, confirmed=confirmed).first()


def _recovery(member):
    from django_otp.plugins.otp_static.models import StaticDevice

    return StaticDevice.objects.filter(user=member).order_by("pk")


@transaction.atomic
def do_renew_recovery_codes(member) -> list[str]:
    """Replace a coordinator's recovery codes with ten new ones; returns them (shown once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticToken.objects.filter(device__user=member).delete()
    device, _created = StaticDevice.objects.get_or_create(user=member, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(member.collective, "second_factor.recovery_codes_made", actor=member)
    return codes


def require_second_factor(get_response):
    """Coordinators act only after a second factor in this session.

    Pages send them to enter it; on the paths open before it (the API among them) the
    session acts as a member's: ``is_coordinator`` is False until the code is entered.
    """

    def middleware(request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_coordinator
                and not user.is_verified()):
            if not request.path.startswith(OPEN_PREFIXES + ("/two-factor/",)):
                return redirect(f"{reverse('second_factor')}?next={request.path}")
            user.coordinator_power = False
        return get_response(request)

    return middleware


@never_cache
@login_required
def second_factor(request):
    """Set up an authenticator (first time), enter a code, or make new recovery codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    member = request.user
    device = _device(member, confirmed=True)
    # A new phone: the old authenticator keeps working until the new one is confirmed.
    setting_up = device is None or (member.is_verified() and request.GET.get("replace") == "1")
    if setting_up:
        device = _device(member, confirmed=False) or TOTPDevice.objects.create(
            user=member, name="authenticator", confirmed=False)
    recovery = () if setting_up else _recovery(member)
    if request.method == "POST" and request.POST.get("action") == "new-codes":
        if not member.is_verified():
            return redirect("second_factor")
        return _show_codes(request, do_renew_recovery_codes(member))
    form = CodeForm(request.POST or None, device=device, recovery=recovery,
                    letters=bool(recovery) and request.GET.get("recovery") == "1")
    if request.method == "POST" and form.is_valid():
        return _verified(request, form.verified_device, setting_up)
    return render(request, "members/second_factor.html", {
        "form": form, "setting_up": setting_up, "verified": member.is_verified(),
        "codes_left": _codes_left(member), "letters": request.GET.get("recovery") == "1",
        "qr": qr_svg(device.config_url) if setting_up else None,
        "secret": _base32(device.bin_key) if setting_up else None,
    })


def _verified(request, device, setting_up):
    from django_otp import login as otp_login

    member = request.user
    otp_login(request, device)
    if setting_up:
        _confirm(device)
        return _show_codes(request, do_renew_recovery_codes(member))
    if device.persistent_id.startswith("otp_static."):  # a recovery code, not the app
        left = _codes_left(member)
        record(member.collective, "second_factor.recovery_code_used", actor=member,
               data={"left": left})
        messages.warning(request, _("You used a recovery code; %(left)s are left. If your phone "
                                    "is lost, move to a new one on the two-factor page.")
                         % {"left": left})
    return redirect(_next(request))


@transaction.atomic
def _confirm(device):
    """The new authenticator replaces any earlier one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    member = device.user
    replaced = TOTPDevice.objects.filter(user=member).exclude(pk=device.pk).delete()[0]
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(member.collective, "second_factor.set_up", actor=member, data={"replaced": bool(replaced)})


def _codes_left(member) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=member).count()


def _show_codes(request, codes):
    return render(request, "members/recovery_codes.html", {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes], "next": _next(request)})


def _next(request) -> str:
    target = request.GET.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else reverse("home")


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
