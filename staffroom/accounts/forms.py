"""Forms for joining and signing in. Validation rules live in services and validators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.models import User
from staffroom.accounts.throttling import password_reconfirmed
from staffroom.accounts.validators import EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH
from staffroom.profiles.handles import HANDLE_MAX_LENGTH


class SignupForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it. Other teachers never see it."),
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=HANDLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        help_text=_(
            "Your @name here: 1 to 30 letters, digits or underscores. Make it reflect your "
            "purpose, e.g. MathWithMsK. It cannot be changed later."
        ),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        required=False,
        help_text=_("How your name appears. A pseudonym is fine."),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; a long passphrase of 15 or more is best."),
    )
    invite_code = forms.CharField(label=_("Invitation code"), max_length=64, required=False)
    reason = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The administrator reads this before approving your account."),
    )
    rules_accepted = forms.BooleanField(
        label=_("I accept the rules and terms"),
        required=True,
        error_messages={
            "required": _(
                "To join, please read the rules and terms above and tick the box to accept them."
            )
        },
    )

    def __init__(self, *args: Any, asks_acceptance: bool = False, **kwargs: Any) -> None:
        """`asks_acceptance`: the server has rules or terms, so joining means accepting
        them; without any, the checkbox is left out."""
        super().__init__(*args, **kwargs)
        if not asks_acceptance:
            del self.fields["rules_accepted"]


class SignInForm(AuthenticationForm):
    """Sign in with e-mail or handle; unverified and unapproved accounts are told why not."""

    username = forms.CharField(
        label=_("E-mail or handle"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail/handle and password do not match an account."),
        "unverified": _(
            "Please confirm your e-mail address first: follow the link we sent you. "
            "You can ask for a new link below."
        ),
        "pending": _("An administrator has not approved your account yet."),
        "rejected": _("This account was not approved."),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not isinstance(user, User) or user.is_superuser:
            return
        if user.approval == "rejected":
            raise forms.ValidationError(self.error_messages["rejected"], code="rejected")
        if not user.is_email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")
        if user.approval == "pending":
            raise forms.ValidationError(self.error_messages["pending"], code="pending")


class StaffroomPasswordChangeForm(PasswordChangeForm):
    """The current password is checked as a sign-in is: wrong ones count toward the lock."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not password_reconfirmed(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX_LENGTH)


class StaffroomPasswordResetForm(PasswordResetForm):
    """Links are built from STAFFROOM_DOMAIN, never from the request's Host header."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        kwargs["domain_override"] = settings.STAFFROOM_DOMAIN
        kwargs["use_https"] = settings.STAFFROOM_SCHEME == "https"
        super().save(*args, **kwargs)
