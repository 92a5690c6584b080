"""The e-mails accounts send, rendered from templates in the recipient's language."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.accounts.tokens import make_verification_token
from staffroom.profiles.uris import instance_base_url


def verification_link(user: User) -> str:
    path = reverse("accounts:verify-email", kwargs={"token": make_verification_token(user)})
    return f"{instance_base_url()}{path}"


def send_verification_email(user: User) -> None:
    context = {"user": user, "link": verification_link(user)}
    send_mail(
        subject=_("Confirm your e-mail address for Staffroom"),
        message=render_to_string("accounts/email/verify_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def send_approval_email(user: User) -> None:
    context = {"user": user, "link": f"{instance_base_url()}{reverse('accounts:login')}"}
    send_mail(
        subject=_("Your Staffroom account is ready"),
        message=render_to_string("accounts/email/approved.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
