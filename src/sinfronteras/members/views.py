from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sinfronteras.sharing.bounds import id_in_range
from sinfronteras.web.confirm import ask, confirmed

from . import services
from .forms import (ChangePasswordForm, LanguageForm, LeaveForm, LoginForm, ProfileForm,
                    SignupForm, TokenForm)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "members/login.html"
    redirect_authenticated_user = True


def join(request, token):
    """Sign up through an invitation link."""
    try:
        invite = services.find_invite(token)
    except services.InviteInvalid:
        return render(request, "members/invite_invalid.html", status=404)
    form = SignupForm(request.POST or None, collective=invite.collective,
                      initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.do_accept_invite(token, **form.cleaned_data)
        except services.InviteInvalid:
            return render(request, "members/invite_invalid.html", status=404)
        login(request, member, backend="sinfronteras.members.backends.MemberBackend")
        return redirect("home")
    return render(request, "members/join.html", {"form": form, "invite": invite})


@login_required
def invites(request):
    """Create a single-use invitation link; the link is shown once."""
    link = invite = None
    if request.method == "POST":
        invite, token = services.do_create_invite(request.user)
        link = request.build_absolute_uri(reverse("join", args=[token]))
        messages.success(request, _("Invitation created. Send this link to one person you trust."))
    mine = request.user.invites_created.order_by("-created_at")[:20]
    return render(request, "members/invites.html",
                  {"link": link, "created": invite, "invites": mine, "now": timezone.now(),
                   "invite_days": settings.INVITE_DAYS})


@require_POST
def set_language(request):
    """Switch language: saved on the member when logged in, else in a cookie."""
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
    return i18n_views.set_language(request)


@login_required
def tokens(request):
    """Personal API tokens: create one (shown once) or revoke one."""
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        pk = request.POST.get("revoke", "")
        if not confirmed(request):
            return ask(request, title=_("Remove this token?"), button=_("Yes, remove it"),
                       back=reverse("tokens"), keep={"revoke": pk},
                       question=_("Whatever uses it (a phone, a script) stops working at "
                                  "once. This cannot be undone."))
        if id_in_range(pk):
            request.user.api_tokens.filter(pk=int(pk)).delete()
        messages.success(request, _("The token is revoked."))
        return redirect("tokens")
    form = TokenForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = services.do_issue_token(request.user, **form.cleaned_data,
                                                      verified=request.user.is_verified())
            form = TokenForm(member=request.user)
        except services.TokenRefused as refusal:
            form.add_error(None, str(refusal))
    return render(request, "members/tokens.html", {
        "form": form, "new_token": new_token, "now": timezone.now(),
        "tokens": request.user.api_tokens.order_by("-created_at")})


@login_required
def account(request):
    """The member's own page: the name others see, area and language; links to the rest."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("account")
    return render(request, "members/account.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: the new password logs out every other device (their sessions end)."""

    template_name = "members/password.html"
    form_class = ChangePasswordForm

    def get_success_url(self):
        messages.success(self.request, _("Your password is changed. Every other device is "
                                         "logged out."))
        return reverse("account")


@sensitive_post_parameters("password")
@login_required
def leave(request):
    """Leave the collective: erase the member and what is theirs, after their password."""
    form = LeaveForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_leave(request.user)
        except services.LeaveRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("leave")
        logout(request)
        return render(request, "members/left.html")
    return render(request, "members/leave.html", {"form": form})
