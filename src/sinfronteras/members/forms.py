from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from sinfronteras.numbers import WholeField

from . import login_lock
from .models import Area, Member, Role

username_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{3,40}$",
    _("Use 3 to 40 letters, digits, - or _ (no spaces)."),
)


class LoginForm(AuthenticationForm):
    """Django's login form, plus a per-account lock after too many failures (``login_lock``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts for this account. Try again in %(minutes)s minutes."),
    }

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()
        if not login_lock.claim(username):  # before the slow hash: a race cannot pass the limit
            raise locked_error()
        try:
            data = super().clean()
        except forms.ValidationError:
            login_lock.failed(username)
            raise
        login_lock.succeeded(username)
        return data


def locked_error() -> forms.ValidationError:
    """The lock's words, the same for every account, existing or not."""
    return forms.ValidationError(LoginForm.error_messages["locked"], code="locked",
                                 params={"minutes": settings.LOGIN_LOCK_MINUTES})


#: The password rules (AUTH_PASSWORD_VALIDATORS), said before the first try, in tú.
PASSWORD_RULES = _("At least 10 characters. Not a common password, and not only digits.")


class ChangePasswordForm(PasswordChangeForm):
    """Django's, with the rules said once, plainly, before the first try."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_RULES
        self.fields["new_password2"].help_text = _("Type it again, to be sure.")


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=60,
        help_text=_("What others see. A nickname is fine; never your legal name."),
    )
    username = forms.CharField(
        label=_("Login name"), max_length=40, validators=[username_validator],
        help_text=_("Only for logging in."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False,
                               help_text=PASSWORD_RULES)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    area = forms.ModelChoiceField(
        label=_("Your area"), queryset=Area.objects.none(), required=False,
        help_text=_("A neighbourhood, never an address."),
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(collective=collective)
        self.fields["area"].empty_label = _("No area (you can choose one later)")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if Member.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken; choose another."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ProfileForm(forms.ModelForm):
    """What a member may change about themself: the name others see, their area, language."""

    class Meta:
        model = Member
        fields = ["display_name", "area", "language"]
        labels = {"display_name": _("Display name"), "area": _("Your area"),
                  "language": _("Language")}
        help_texts = {"display_name": _("What others see. A nickname is fine; never your legal name."),
                      "area": _("A neighbourhood, never an address.")}
        error_messages = {"display_name": {"required": _("Give a name others can call you.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(collective_id=self.instance.collective_id)
        self.fields["area"].empty_label = _("No area (you can choose one later)")


class LeaveForm(forms.Form):
    """Leaving erases the member: they confirm with their password."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        username = self.member.username
        if not login_lock.claim(username):  # the same lock, and words, as logging in
            raise locked_error()
        if not self.member.check_password(password):
            login_lock.failed(username)
            raise forms.ValidationError(_("That is not your password."))
        login_lock.succeeded(username)
        return password


class TokenForm(forms.Form):
    """A new API token: a name, how long it lasts, and (for a coordinator) its power.

    The rules (who may have which scope, how many tokens) are ``do_issue_token``'s.
    """

    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("E.g. the phone or script that uses it."))
    days = WholeField(label=_("Days it lasts"), required=False)
    scope = forms.ChoiceField(
        label=_("What it may do"), initial=Role.MEMBER, required=False, widget=forms.RadioSelect,
        choices=[(Role.MEMBER, _("Act as you, a member: your own needs and offers")),
                 (Role.COORDINATOR, _("Act with your coordinator's power: every need and "
                                      "offer of the collective"))])

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        days.initial = settings.API_TOKEN_DAYS
        days.help_text = _("From 1 to %(most)s days. Empty: %(default)s.") % {
            "most": most, "default": settings.API_TOKEN_DAYS}
        message = _("A token lasts from 1 to %(most)s days.") % {"most": most}
        days.validators = [MinValueValidator(1, message), MaxValueValidator(most, message)]
        if member.role != Role.COORDINATOR:
            del self.fields["scope"]  # a member's token acts as them: nothing to choose

    def clean_scope(self):
        return self.cleaned_data.get("scope") or Role.MEMBER
