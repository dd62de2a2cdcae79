from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Area, Member

username_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{3,40}$",
    _("Use 3 to 40 letters, digits, - or _ (no spaces)."),
)


class LoginForm(AuthenticationForm):
    """Django's login form, plus a per-account lock after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts for this account. Try again in %(minutes)s minutes."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        member = Member.objects.filter(username=username).first() if username else None
        if member is not None and member.is_locked():
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked",
                params={"minutes": settings.LOGIN_LOCK_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if member is not None:
                member.record_failed_login()
            raise


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=60,
        help_text=_("What others see. A nickname is fine; never your legal name."),
    )
    username = forms.CharField(
        label=_("Login name"), max_length=40, validators=[username_validator],
        help_text=_("Only for logging in."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    area = forms.ModelChoiceField(
        label=_("Your area"), queryset=Area.objects.none(), required=False,
        help_text=_("A neighbourhood, never an address."),
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(collective=collective)

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
