"""What the moderation pages share: who may open them, how a refusal reads, and paging
links that keep the page's own query (a tab, a filter)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.core.exceptions import DomainError, NotFound, PermissionDenied
from staffroom.moderation.roles import is_admin, is_moderator
from staffroom.web.paging import Page

View = Callable[..., HttpResponse]


def acting_user(request: HttpRequest) -> User:
    """The signed-in user (the decorators below have checked there is one)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required checked it
    return user


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """A clear 403 page: what this page is for, and that the viewer may not open it."""
    context = {"status": 403, "title": _("Not allowed"), "message": message}
    return render(request, "errors/error.html", context, status=403)


def _guarded(allowed: Callable[[Any], bool], refusal: Callable[[], str]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                return forbidden(request, refusal())
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404 from error
            except PermissionDenied as error:
                return forbidden(request, error.message)

        return wrapped

    return decorate


moderators_only = _guarded(is_moderator, lambda: _("Only moderators may open this page."))
admins_only = _guarded(is_admin, lambda: _("Only administrators may open this page."))


def error_text(error: DomainError) -> str:
    """The service's message for a page, without the API's "Validation failed: " prefix."""
    text = error.message.removeprefix(_("Validation failed: ")).removeprefix("Validation failed: ")
    return text[:1].upper() + text[1:]


def keep_query(page: Page, **params: str) -> Page:
    """Add the page's own query (a tab, a filter) to its older/newer links."""
    wanted = {name: value for name, value in params.items() if value}
    if not wanted:
        return page
    extra = urlencode(wanted)
    for name in ("older_url", "newer_url"):
        url = getattr(page, name)
        if url:
            setattr(page, name, f"{url}{'&' if '?' in url else '?'}{extra}")
    return page
