"""What the moderation pages share: who may open them, how a refusal reads, and paging
links that keep the page's own query (a tab, a filter)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.accounts.selectors import request_user
from staffroom.core.exceptions import PermissionDenied
from staffroom.moderation.roles import is_admin, is_moderator
from staffroom.web.errors import View, domain_errors, forbidden
from staffroom.web.paging import Page


def acting_user(request: HttpRequest) -> User:
    """The signed-in user (the decorators below have checked there is one)."""
    return request_user(request)


def _guarded(allowed: Callable[[Any], bool], refusal: Callable[[], str]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        @domain_errors
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                return forbidden(request, refusal())
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as error:  # says why, where the site's 403 page would not
                return forbidden(request, error.message)

        return wrapped

    return decorate


moderators_only = _guarded(is_moderator, lambda: _("Only moderators may open this page."))
admins_only = _guarded(is_admin, lambda: _("Only administrators may open this page."))


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
