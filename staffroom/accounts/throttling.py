"""Sign-in throttling: django-axes counts failures per account and per client address.

Two limits, both over the cool-off window (`AXES_COOLOFF_TIME`):

- per account: `AXES_FAILURE_LIMIT` failures lock the account, whatever spelling of it was
  typed. Axes keys its records by `sign_in_throttle_key`, which resolves the handle (any
  case, with or without a leading `@`) or the e-mail address (any case) to the account
  first. Counting per typed spelling would let a guesser spread tries over `ana`, `ANA`,
  `@Ana`, `ana@school.example`... and sign in with any of them while another was locked.
- per address: `STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT` failures from one client address
  (`staffroom.core.client_ip`), across every account, lock that address. Axes has a single
  limit for all its lockout parameters, so `SignInThrottleHandler` adds this one over the
  same `AccessAttempt` rows (kept in the database: it works without Redis).

Every credential check goes through `django.contrib.auth.authenticate`, whose first backend
is axes': the web form, the admin's sign-in and OAuth's password grant share these rules.
"""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from staffroom.accounts.models import User
from staffroom.accounts.selectors import user_get_by_login

# AccessAttempt.username is 255 characters; longer unknown spellings are stored as a digest.
_KEY_MAX_LENGTH = 255
_ACCOUNT_PREFIX = "account:"
_UNKNOWN_PREFIX = "unknown:"
_KEYS_ON_REQUEST = "_staffroom_sign_in_keys"


def normalised_login(login: str) -> str:
    """The spelling-independent form of a typed handle or e-mail address: surrounding
    spaces and a leading `@` dropped, letter case folded (sign-in ignores all three)."""
    login = login.strip()
    if "@" not in login.lstrip("@"):
        login = login.lstrip("@")
    return login.casefold()


def account_throttle_key(user: User) -> str:
    """The key an account's failures are kept under (its id: e-mail and handle may change)."""
    return f"{_ACCOUNT_PREFIX}{user.pk}"


def sign_in_throttle_key(login: str) -> str:
    """What failures for `login` count against: its account (`account:<id>`) when one
    matches, otherwise the normalised spelling (`unknown:<spelling>`), so that unknown
    names are locked after as many tries as real ones and cannot be told apart by it."""
    user = user_get_by_login(login)
    if user is not None:
        return account_throttle_key(user)
    key = f"{_UNKNOWN_PREFIX}{normalised_login(login)}"
    if len(key) > _KEY_MAX_LENGTH:
        key = f"{_UNKNOWN_PREFIX}sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """django-axes hook (AXES_USERNAME_CALLABLE): the throttle key of the typed login.

    Axes asks several times per attempt, so the answer is kept on the request.
    """
    field = str(axes_settings.AXES_USERNAME_FORM_FIELD)
    if credentials is not None:
        # authenticate() may also be called with the model's own field name (`email=`).
        login = credentials.get(field) or credentials.get(User.USERNAME_FIELD)
    elif request is not None:
        login = getattr(request, "POST", {}).get(field)
    else:
        login = None
    if login is None or not str(login).strip():
        return None
    login = str(login)
    keys: dict[str, str] = {}
    if request is not None:
        keys = request.__dict__.setdefault(_KEYS_ON_REQUEST, {})
    if login not in keys:
        keys[login] = sign_in_throttle_key(login)
    return keys[login]


def _cool_off(request: HttpRequest | None) -> timedelta:
    return get_cool_off(request) or timedelta(0)


def address_failure_count(request: HttpRequest) -> int:
    """Failed sign-ins from the request's client address within the cool-off window,
    every account (and unknown name) together."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    if axes_settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit (AXES_HANDLER).

    Axes itself locks per account (AXES_LOCKOUT_PARAMETERS = [["username"]]); a successful
    sign-in clears only that account's records, so signing in to an account of one's own
    does not clear the address's count.
    """

    def is_address_locked(self, request: HttpRequest) -> bool:
        limit: int = settings.STAFFROOM_LOGIN_ADDRESS_FAILURE_LIMIT
        return address_failure_count(request) >= limit

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return bool(axes_settings.AXES_LOCK_OUT_AT_FAILURE) and self.is_address_locked(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        if not axes_settings.AXES_LOCK_OUT_AT_FAILURE or self.is_whitelisted(request, credentials):
            return
        if self.is_address_locked(request):
            # What axes does when its own limit is reached: the middleware (or the OAuth
            # validator) turns the flag into the "paused" answer.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def password_reconfirmed(request: HttpRequest, user: User, password: str) -> bool:
    """Whether `password` is `user`'s, checked as a sign-in is: for a signed-in person asked
    for it again (changing it, deleting the account). A wrong one counts toward the
    account's and the address's locks, and while either holds even the right one is
    refused (the middleware answers with the "paused" page), so a borrowed session cannot
    guess the password without limit either."""
    return authenticate(request, username=user.email, password=password) is not None


def sign_in_succeeded(user: User) -> None:
    """Clear the account's failures after a sign-in that does not pass through Django's
    `login()` (whose signal axes already answers): OAuth's password grant."""
    if axes_settings.AXES_ENABLED and axes_settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(username=account_throttle_key(user))


def sign_in_paused(request: HttpRequest) -> bool:
    """Whether the last credential check on `request` was refused or failed into a lock."""
    return bool(getattr(request, "axes_locked_out", False))


def retry_after_seconds(request: HttpRequest | None = None) -> int:
    """How long a locked account or address waits (each try while locked starts it again)."""
    return max(1, math.ceil(_cool_off(request).total_seconds()))


def sign_in_paused_message(request: HttpRequest | None = None) -> str:
    """The sentence a person sees when signing in is paused (web page and API alike)."""
    minutes = max(1, math.ceil(retry_after_seconds(request) / 60))
    return ngettext(
        "Too many failed sign-in attempts for this account or from your network. "
        "Signing in is paused: please wait %(minutes)d minute and try again, "
        "or reset your password.",
        "Too many failed sign-in attempts for this account or from your network. "
        "Signing in is paused: please wait %(minutes)d minutes and try again, "
        "or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes hook (AXES_LOCKOUT_CALLABLE): the "paused" page, 429 with Retry-After."""
    response = render(
        request,
        "accounts/locked_out.html",
        {"message": sign_in_paused_message(request)},
        status=429,
    )
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
