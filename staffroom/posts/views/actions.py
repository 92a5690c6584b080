"""The action bar: one POST route for favourite, reshare, bookmark, pin and muting the
conversation (and undoing each). Without htmx it redirects back with a message; with htmx
it answers the bar, which swaps in place."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from staffroom.core.exceptions import DomainError, NotFound
from staffroom.core.ids import ascii_digits
from staffroom.posts import services
from staffroom.posts.models import Status
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.posts.views._cards import post_card, status_url
from staffroom.posts.views._common import (
    _is_htmx,
    safe_next,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import error_text, with_retry_after

Service = Callable[..., Status]

ACTIONS: dict[str, tuple[Service, Promise]] = {
    "favourite": (services.favourite_create, _("Added to your favourites.")),
    "unfavourite": (services.favourite_delete, _("Removed from your favourites.")),
    "reshare": (services.reblog_create, _("You reshared the post.")),
    "unreshare": (services.reblog_delete, _("You no longer reshare the post.")),
    "bookmark": (services.bookmark_create, _("Bookmarked. Find it again under Bookmarks.")),
    "unbookmark": (services.bookmark_delete, _("Bookmark removed.")),
    "pin": (services.status_pin, _("Pinned to your profile.")),
    "unpin": (services.status_unpin, _("Unpinned from your profile.")),
    "mute-conversation": (
        services.conversation_mute,
        _("Conversation muted: you will not be notified about it."),
    ),
    "unmute-conversation": (
        services.conversation_unmute,
        _("Conversation unmuted: you will be notified about it again."),
    ),
}


def _row_id(request: HttpRequest, fallback: int) -> int:
    """The row the bar belongs to on the page (a reshare row shows its original's bar):
    keeps the buttons' ids, so focus stays on the button after the swap."""
    value = request.POST.get("row", "")
    return int(value) if ascii_digits(value) and 0 < int(value) < 2**63 else fallback


def _bar(
    request: HttpRequest,
    viewer: Profile,
    status: Status,
    *,
    notice: str = "",
    error: str = "",
    code: int = 200,
) -> HttpResponse:
    """The action bar after an action, with its counts read again. `notice` is announced
    to screen readers (the swap itself is silent); `error` is shown."""
    fresh = status_get_for_viewer(status.pk, viewer)
    context = {
        "card": post_card(viewer, fresh),
        "row_id": _row_id(request, status.pk),
        "next": safe_next(request) or "",
        "notice": notice,
        "error": error,
    }
    return render(request, "posts/_actions.html", context, status=code)


@login_required
@require_POST
def status_action(request: HttpRequest, status_id: str, action: str) -> HttpResponse:
    """`POST /posts/<id>/<action>`. 404 for an unknown action or a post the teacher may not
    see; a refused action (resharing a followers-only post, a sixth pin) answers its status
    (422, 403) with the reason, and changes nothing."""
    if action not in ACTIONS:
        raise Http404
    viewer = own_profile(request)
    try:
        status = status_get_for_viewer(status_id, viewer)
        original = status.reblog_of or status
        service, message = ACTIONS[action]
        service(actor=viewer, status=original)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        text = error_text(error)
        if _is_htmx(request):
            response = _bar(request, viewer, original, error=text, code=error.status_code)
            return with_retry_after(response, error)
        back = safe_next(request) or status_url(original)
        context = {"message": text, "back": back}
        response = render(request, "graph/action_failed.html", context, status=error.status_code)
        return with_retry_after(response, error)
    if _is_htmx(request):
        return _bar(request, viewer, original, notice=str(message))
    messages.success(request, str(message))
    back = safe_next(request) or status_url(original)
    return redirect(f"{back}#post-{_row_id(request, original.pk)}")
