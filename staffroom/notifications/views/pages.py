"""The notifications page, its live part (the newer entries, fetched when the stream says
a notification arrived, or every 30 s), its per-item "Dismiss", "Clear all", the away
summary's "Got it", and the header badge's poll.

Every form is a POST with CSRF that works without JavaScript (redirect back with a
message); with htmx, "Dismiss" swaps the entry in place, as the post action bar does.
Another teacher's notification id answers 404 exactly like an unknown one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import NotFound
from staffroom.core.ids import ascii_digits, parse_snowflake
from staffroom.notifications import selectors, services
from staffroom.notifications.models import Notification
from staffroom.notifications.views._entries import (
    FILTERS,
    KindFilter,
    away_line,
    entries,
    kind_filter,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.timelines.models import MarkerTimeline
from staffroom.timelines.services import marker_set
from staffroom.web.paging import PAGE_SIZE, Page, cursor_param, paged


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _keep_filter(page: Page, slug: str) -> Page:
    """Add the kind filter to the older/newer links."""
    if slug == "all":
        return page
    extra = urlencode({"filter": slug})
    for name in ("older_url", "newer_url"):
        url = getattr(page, name)
        if url:
            setattr(page, name, f"{url}{'&' if '?' in url else '?'}{extra}")
    return page


def _mark_read(viewer: Profile, shown: list[Notification]) -> None:
    """Move the notifications read position to the newest notification shown (newest
    first), never back (an app may have read further already)."""
    if not shown:
        return
    newest = shown[0].pk
    if newest > selectors.read_position(viewer):
        marker_set(viewer, MarkerTimeline.NOTIFICATIONS, str(newest))


def _live_url(since_id: int, choice: KindFilter) -> str:
    """The address of the entries newer than `since_id` (the newest on the first page)."""
    query = {"since_id": since_id} | ({} if choice.slug == "all" else {"filter": choice.slug})
    return f"{reverse('notifications:newer')}?{urlencode(query)}"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """`/notifications[?filter=<kind group>]`: the teacher's notifications, grouped, newest
    first, paged. The unfiltered first page moves the read position: a filtered page
    skips other kinds, which stay unread."""
    viewer = own_profile(request)
    choice = kind_filter(request.GET.get("filter", ""))

    def fetch(**window: Any) -> list[Notification]:
        # The selector leaves out accounts blocked or muted since (in every reader).
        return selectors.notifications_for(viewer, types=choice.kinds, **window)

    page = _keep_filter(paged(request, fetch, key=lambda n: n.pk), choice.slug)
    first_page = cursor_param(request, "max_id") is None and cursor_param(request, "min_id") is None
    if first_page and choice.slug == "all":
        _mark_read(viewer, page.rows)
    summary = selectors.away_summary(viewer)
    context = {
        "page": page,
        "entries": entries(viewer, page.rows),
        "filters": FILTERS,
        "current_filter": choice,
        "away_line": away_line(summary) if summary else "",
        "filtered_count": selectors.policy_summary(viewer).pending_notifications_count,
        "next": request.get_full_path(),
        # Only the first page takes in new entries: older pages stay as drawn.
        "live_url": _live_url(page.rows[0].pk if page.rows else 0, choice) if first_page else "",
    }
    return render(request, "notifications/list.html", context)


# The number of new entries one answer brings at most (a page's worth): more than that
# while the page was open, and the teacher reloads to see them all, as with a feed.
NEWER_MAX = PAGE_SIZE


@require_GET
def notifications_newer(request: HttpRequest) -> HttpResponse:
    """`/notifications/newer?since_id=<id>[&filter=<kind group>]`, the list's live part (an
    htmx fragment): the entries newer than `since_id`, put at the top of the list, and the
    element that asks again from the newest of them. 204 (htmx leaves the page alone) when
    there is nothing new, and when signed out meanwhile, as the badge does. The unfiltered
    list moves the read position, as reloading the page would (staffroom.js has the badge
    count again once this answer is in). Without htmx: the page itself."""
    is_htmx = _is_htmx(request)
    if not request.user.is_authenticated:
        return HttpResponse(status=204) if is_htmx else redirect_to_login(request.get_full_path())
    if not is_htmx:
        return redirect("notifications:list")
    viewer = own_profile(request)
    choice = kind_filter(request.GET.get("filter", ""))
    since_id = cursor_param(request, "since_id")
    rows = selectors.notifications_for(
        viewer, types=choice.kinds, limit=NEWER_MAX, since_id=since_id
    )
    if not rows:
        return HttpResponse(status=204)
    new_entries = entries(viewer, rows)
    context = {
        "entries": new_entries,
        "count": len(new_entries),
        "live_url": _live_url(rows[0].pk, choice),
        # The page was drawn with no entries: its "no notifications" line goes.
        "was_empty": since_id is None,
        "next": reverse("notifications:list"),
    }
    if choice.slug == "all":
        _mark_read(viewer, rows)
    return render(request, "notifications/_newer.html", context)


def _back(request: HttpRequest) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "notifications:list"


def _member_ids(request: HttpRequest) -> list[str]:
    """The other notifications of the dismissed entry's group (ids on the page)."""
    return [value for value in request.POST.getlist("also")[:100] if parse_snowflake(value)]


@login_required
@require_POST
def notification_dismiss(request: HttpRequest, notification_id: str) -> HttpResponse:
    """`POST /notifications/<id>/dismiss`: delete an entry (the notification and the other
    members of its group on the page, `also`). The id must be the teacher's own: another's
    or an unknown id is a 404 and nothing is deleted."""
    viewer = own_profile(request)
    try:
        services.notification_dismiss(viewer, notification_id)
    except NotFound as error:
        if _is_htmx(request):  # htmx swaps a 4xx in: the entry, not a whole error page
            gone = {"notice": _("This notification was dismissed already.")}
            return render(request, "notifications/_dismissed.html", gone, status=404)
        raise Http404 from error
    for other in _member_ids(request):
        try:
            services.notification_dismiss(viewer, other)
        except NotFound:
            continue  # gone already, or not the teacher's: nothing to do
    notice = _("Notification dismissed.")
    if _is_htmx(request):
        return render(request, "notifications/_dismissed.html", {"notice": notice})
    messages.success(request, notice)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_clear(request: HttpRequest) -> HttpResponse:
    """`POST /notifications/clear`: delete all of the teacher's notifications."""
    viewer = own_profile(request)
    services.notifications_clear(viewer)
    messages.success(request, _("All your notifications are cleared."))
    return redirect("notifications:list")


@login_required
@require_POST
def away_summary_seen(request: HttpRequest) -> HttpResponse:
    """`POST /notifications/away-summary/seen`: "Got it" on the away summary."""
    services.away_summary_seen(own_profile(request))
    return redirect("notifications:list")


def _seen(request: HttpRequest) -> int | None:
    value = request.GET.get("seen", "")
    return int(value) if ascii_digits(value) and len(value) < 6 else None


@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """`/notifications/badge?seen=<n>`: the header badge's poll (an htmx fragment): the
    unread count, empty at 0 and while away. 204 (htmx leaves the badge alone) when the
    count has not changed since `seen`, so a screen reader hears each new count once, and
    when signed out meanwhile (a redirect to the sign-in page would be swapped in)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    count = selectors.unread_count(own_profile(request))
    if count == _seen(request):
        return HttpResponse(status=204)
    return render(request, "notifications/_badge.html", {"unread": count})
