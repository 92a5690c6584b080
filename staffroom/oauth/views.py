"""Settings pages: the applications a teacher authorized, and their own (Development)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.accounts.selectors import request_user
from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError
from staffroom.oauth.forms import DevelopmentApplicationForm
from staffroom.oauth.selectors import authorized_applications, owned_applications
from staffroom.oauth.services import (
    application_delete,
    application_register,
    authorization_revoke,
    personal_token_create,
)


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    context = {
        "sections": settings_sections(),
        "current_section": "applications",
        "authorized": authorized_applications(user=request_user(request)),
    }
    return render(request, "oauth/settings_applications.html", context)


@login_required
@require_POST
def application_revoke(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        authorization_revoke(user=request_user(request), application_id=application_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Access revoked. The application is signed out."))
    return redirect("oauth:settings-applications")


NEW_TOKEN_SESSION_KEY = "development_new_token"  # noqa: S105 - a session key name


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def development(request: HttpRequest) -> HttpResponse:
    """Make an application and get its token at once.

    Post, redirect, get: the token waits in the session for the next page view and is
    removed as it is shown, so it appears exactly once and a reload makes nothing twice.
    """
    user = request_user(request)
    form = DevelopmentApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registered = application_register(
                name=form.cleaned_data["name"],
                redirect_uris=None,
                scopes=form.cleaned_data["scopes"],
                website=form.cleaned_data["website"] or "",
                owner=user,
            )
            issued = personal_token_create(
                user=user, scopes=form.cleaned_data["scopes"], application=registered.application
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = issued.raw_token
            return redirect("oauth:settings-development")
    context = {
        "sections": settings_sections(),
        "current_section": "development",
        "form": form,
        "owned": owned_applications(user=user),
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
    }
    return render(request, "oauth/settings_development.html", context)


@login_required
@require_POST
def development_delete(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        application_delete(user=request_user(request), application_id=application_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application and its tokens are deleted."))
    return redirect("oauth:settings-development")
