"""How the web pages answer a domain error (`core/exceptions.py`).

The services raise `NotFound`, `PermissionDenied`, `ValidationFailed`, `Conflict` and
`RateLimited`; a page answers them in one of three ways, all built here:
- an unknown or hidden record is the site's 404 page (`NotFound` -> `Http404`), so a page
  never tells a hidden record from one that never existed;
- a refused action is the "That did not work" page (`action_failed`): the service's
  message, its status, "Nothing was changed" and a link back (`Retry-After` when rate
  limited);
- a refused form shows the message on the form itself: that stays in the view, which
  knows its form (`error_text` gives the message).

`@domain_errors` applies the first rule to a whole view, and with `back=` the second one
too, instead of a `try`/`except` in each view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from staffroom.core.exceptions import DomainError, NotFound, PermissionDenied, RateLimited

View = Callable[..., HttpResponseBase]
# Where "Go back" leads from a refused action: called with the view's own arguments.
Back = Callable[..., str]


def error_text(error: DomainError) -> str:
    """A service's message for a page: without the API's "Validation failed: " prefix (the
    page already says nothing was saved), starting with a capital."""
    text = error.message.removeprefix(_("Validation failed: ")).removeprefix("Validation failed: ")
    return text[:1].upper() + text[1:]


def with_retry_after(response: HttpResponse, error: DomainError) -> HttpResponse:
    """`response` with `Retry-After` when `error` is a rate limit."""
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def action_failed(request: HttpRequest, message: str, status: int, back: str) -> HttpResponse:
    """The page that says an action was refused and nothing changed, with a link back."""
    context = {"message": message, "back": back}
    return render(request, "graph/action_failed.html", context, status=status)


def refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    """`action_failed` for a service's refusal: its message and status (and Retry-After)."""
    return with_retry_after(
        action_failed(request, error_text(error), error.status_code, back), error
    )


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """A clear 403 page that says why (the site's 403 page says only "not allowed")."""
    context = {"status": 403, "title": _("Not allowed"), "message": message}
    return render(request, "errors/error.html", context, status=403)


@overload
def domain_errors(view: View) -> View: ...


@overload
def domain_errors(*, back: Back | None = None) -> Callable[[View], View]: ...


def domain_errors(
    view: View | None = None, *, back: Back | None = None
) -> View | Callable[[View], View]:
    """Answer the domain errors a view lets through, as every page does.

    `NotFound` is the site's 404 page. Without `back`, `PermissionDenied` is the site's
    403 page and any other domain error propagates. With `back` (called with the view's
    request and arguments), every other domain error, `PermissionDenied` included, is the
    "That did not work" page (`refused`) linking there. Use it as `@domain_errors` or
    `@domain_errors(back=...)`, below `login_required` and the method checks."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404 from error
            except DomainError as error:
                if back is not None:
                    return refused(request, error, back(request, *args, **kwargs))
                if isinstance(error, PermissionDenied):
                    raise DjangoPermissionDenied(error.message) from error
                raise

        return wrapped

    return decorate(view) if view is not None else decorate
