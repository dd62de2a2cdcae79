"""Two factors for coordinators (DESIGN.md): a TOTP code from an authenticator app.

A coordinator's session holds no coordinator power until a second factor is
verified: the middleware sends them to set one up (first time) or to enter a
code. Members are not asked; nothing here stores an IP address or a device name
beyond "authenticator".
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

#: Paths a coordinator may open before the second factor (besides the 2FA pages).
OPEN_PREFIXES = ("/static/", "/logout/", "/language/", "/login/", "/api/")


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"), regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Type the six digits your app shows now.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        allowed, _detail = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a minute and try again."))
        if not self.device.verify_token(code):
            raise forms.ValidationError(_("That code is not right (or has expired). Try the next one."))
        return code


def _device(member, *, confirmed):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=member, confirmed=confirmed).first()


def require_second_factor(get_response):
    """Coordinators act only after a second factor in this session."""

    def middleware(request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_coordinator
                and not user.is_verified() and not request.path.startswith(OPEN_PREFIXES)
                and not request.path.startswith("/two-factor/")):
            return redirect(f"{reverse('second_factor')}?next={request.path}")
        return get_response(request)

    return middleware


@login_required
def second_factor(request):
    """Set up an authenticator (first time) or enter a code from it."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    member = request.user
    device = _device(member, confirmed=True)
    setting_up = device is None
    if setting_up:
        device = _device(member, confirmed=False) or TOTPDevice.objects.create(
            user=member, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        target = request.GET.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "home")
    return render(request, "members/second_factor.html", {
        "form": form, "setting_up": setting_up,
        "qr": _qr_svg(device.config_url) if setting_up else None,
        "secret": _base32(device.bin_key) if setting_up else None,
    })


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, dark="#1d1d1f", light="#ffffff", border=2)


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
