"""Joining, signing in and account settings pages. Each view calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staffroom.accounts.forms import (
    ResendVerificationForm,
    SignInForm,
    SignupForm,
    StaffroomPasswordChangeForm,
    StaffroomPasswordResetForm,
)
from staffroom.accounts.selectors import site_configuration, user_get_by_login
from staffroom.accounts.services import (
    Registration,
    account_register,
    credentials_changed,
    email_verify,
    verification_email_resend,
)
from staffroom.accounts.settings_sections import settings_sections
from staffroom.core import ratelimit
from staffroom.core.client_ip import client_ip
from staffroom.core.exceptions import Conflict, DomainError, PermissionDenied, RateLimited
from staffroom.core.html import render_markdown
from staffroom.moderation.services import live_rules


def _rate_limited(
    request: HttpRequest, template: str, context: dict[str, Any], error: RateLimited
) -> HttpResponse:
    context["rate_limit_message"] = error.message
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    config = site_configuration()
    initial = {"invite_code": request.GET.get("invite", "")}
    rules = live_rules()
    terms_html = render_markdown(config.terms)
    form = SignupForm(
        request.POST or None, initial=initial, asks_acceptance=bool(rules or terms_html)
    )
    context: dict[str, Any] = {
        "form": form,
        "config": config,
        "rules": rules,
        "terms_html": terms_html,
    }
    if request.method != "POST":
        return render(request, "accounts/signup.html", context)
    try:
        ratelimit.enforce("signup", client_ip(request))
    except RateLimited as error:
        return _rate_limited(request, "accounts/signup.html", context, error)
    if not form.is_valid():
        return render(request, "accounts/signup.html", context, status=422)
    try:
        typed = dict(form.cleaned_data)
        accepted = bool(typed.pop("rules_accepted", False))
        user = account_register(Registration(**typed), rules_accepted=accepted)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "accounts/signup.html", context, status=422)
    except PermissionDenied as error:
        form.add_error(None, error.message)
        return render(request, "accounts/signup.html", context, status=403)
    if not user.is_email_verified:
        request.session["pending_email"] = user.email
        return redirect("accounts:signup-done")
    if not user.is_approved:
        return redirect("accounts:signup-done")
    login(request, user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    messages.success(request, _("Welcome to Staffroom!"))
    return redirect("web:home")


def signup_done(request: HttpRequest) -> HttpResponse:
    context = {"email": request.session.get("pending_email"), "config": site_configuration()}
    return render(request, "accounts/signup_done.html", context)


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST confirms. Mail scanners that fetch links confirm nothing."""
    if request.method == "GET":
        return render(request, "accounts/verify_email.html", {"token": token})
    try:
        user = email_verify(token=token)
    except Conflict as error:
        messages.info(request, error.message)
        return redirect("accounts:login")
    except DomainError as error:
        context = {"token": token, "error": error.message}
        return render(request, "accounts/verify_email.html", context, status=error.status_code)
    request.session.pop("pending_email", None)
    if user.is_approved:
        messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
    else:
        messages.success(
            request,
            _("Your e-mail address is confirmed. We will write when an administrator approves it."),
        )
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        try:
            ratelimit.enforce("verification-resend", client_ip(request))
        except RateLimited as error:
            return _rate_limited(request, "accounts/resend_verification.html", context, error)
        if form.is_valid():
            user = user_get_by_login(form.cleaned_data["email"])
            if user is not None:
                verification_email_resend(user=user)
            # The same answer either way, so the form does not reveal who has an account.
            messages.info(
                request,
                _("If that address belongs to an unconfirmed account, a new link is on its way."),
            )
            return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", context)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = StaffroomPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            ratelimit.enforce("password-reset", client_ip(request))
        except RateLimited as error:
            context = self.get_context_data(form=self.get_form())
            return _rate_limited(request, self.template_name, context, error)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        credentials_changed(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StaffroomPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        credentials_changed(user=form.user)
        messages.success(
            self.request,
            _("Your password is changed. You were signed out everywhere else, apps included."),
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(sections=settings_sections(), current_section="password")
        return context


@login_required
def settings_account(request: HttpRequest) -> HttpResponse:
    context = {"sections": settings_sections(), "current_section": "account"}
    return render(request, "accounts/settings_account.html", context)
