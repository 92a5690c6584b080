"""Filtered notifications: the notification requests page (one entry per sender your
policy put aside, with a preview of what they sent) and its "Accept" and "Dismiss".

Forms are POSTs with CSRF that work without JavaScript. Another teacher's request id
answers 404 exactly like an unknown one, and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import NotFound
from staffroom.notifications import selectors, services
from staffroom.notifications.models import NotificationRequest
from staffroom.notifications.views._entries import Entry, entries
from staffroom.profiles.selectors import own_profile
from staffroom.web.paging import paged

PREVIEW = 3


@dataclass(frozen=True)
class RequestRow:
    """One sender's filtered notifications as the page shows them."""

    request: NotificationRequest
    count: int
    preview: list[Entry]


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """`/notifications/requests`: who your filters put aside, newest first, paged."""
    viewer = own_profile(request)

    def fetch(**window: Any) -> list[NotificationRequest]:
        return selectors.requests_for(viewer, **window)

    page = paged(request, fetch, key=lambda row: row.pk)
    rows = [
        RequestRow(
            request=row,
            count=getattr(row, "notifications_count", 0),
            preview=entries(viewer, selectors.request_notifications(viewer, row, limit=PREVIEW)),
        )
        for row in page.rows
    ]
    context = {"page": page, "rows": rows}
    return render(request, "notifications/requests.html", context)


ACTIONS = frozenset({"accept", "dismiss"})


@login_required
@require_POST
def request_action(request: HttpRequest, request_id: str, action: str) -> HttpResponse:
    """`POST /notifications/requests/<id>/accept|dismiss`."""
    if action not in ACTIONS:
        raise Http404
    viewer = own_profile(request)
    try:
        found = selectors.request_get(viewer, request_id)
    except NotFound as error:
        raise Http404 from error
    name = found.account.name_for_display
    if action == "accept":
        services.request_accept(viewer, found.pk)
        notice = _("Notifications from %(name)s now show as usual.") % {"name": name}
    else:
        services.request_dismiss(viewer, found.pk)
        notice = _("Filtered notifications from %(name)s dismissed.") % {"name": name}
    messages.success(request, notice)
    return redirect("notifications:requests")
