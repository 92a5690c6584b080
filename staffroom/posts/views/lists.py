"""Pages that list posts: bookmarks, a hashtag, and a profile's posts (shown on the
profile page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from staffroom.filters.selectors import without_hidden
from staffroom.hashtags.selectors import tag_panel
from staffroom.media.cards import MediaCard, ready_cards
from staffroom.media.selectors import attachments_prefetch
from staffroom.posts.models import TAG_NAME_MAX_LENGTH
from staffroom.posts.selectors import account_statuses, bookmarks_of
from staffroom.posts.views._cards import post_cards, status_url
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.web.paging import cursor_param, paged


@login_required
@require_GET
def bookmarks_list(request: HttpRequest) -> HttpResponse:
    """`/bookmarks`: the teacher's bookmarks, newest bookmark first (posts that went out
    of their sight since are left out)."""
    viewer = own_profile(request)
    page = paged(request, lambda **kw: bookmarks_of(viewer, **kw), lambda row: row.id)
    cards = post_cards(viewer, [row.status for row in page.rows])
    context = {"page": page, "cards": cards, "next": request.get_full_path()}
    return render(request, "posts/bookmarks.html", context)


@require_GET
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>`: public posts with the hashtag, newest first, drawn as a feed (with its
    poll for new posts). Unlisted, followers-only, connections-only and direct posts never
    appear here, whoever looks; muted accounts are left out for the teacher who muted them.
    Above the posts, hashtags' panel: this week's people and the Follow / Unfollow button."""
    # Imported here: timelines' views build on these post views (posts -> timelines -> posts).
    from staffroom.timelines.selectors import tag_timeline
    from staffroom.timelines.views._feed import feed_page

    viewer = viewer_profile(request)
    name = name[:TAG_NAME_MAX_LENGTH]
    panel = tag_panel(viewer, name)
    context = feed_page(
        request,
        viewer,
        lambda **kw: tag_timeline(viewer, name, **kw),
        new_url=reverse("timelines:tag-feed-new", args=[name]),
        filter_context="public",
    )
    extra = {"name": name, "panel": panel, "signed_in": viewer is not None}
    return render(request, "posts/tag.html", context | extra)


def _tagged_param(request: HttpRequest) -> str:
    """The profile's `?tagged=` filter (a hashtag, `#` optional), "" when absent."""
    return request.GET.get("tagged", "")[: TAG_NAME_MAX_LENGTH + 1].strip().removeprefix("#")


def profile_posts(request: HttpRequest, profile: Profile, viewer: Profile | None) -> dict[str, Any]:
    """The profile page's posts as the viewer may see them: pinned ones first (on the first
    page, and then not repeated below), then the rest newest first, with older and newer
    links. `?tagged=name` keeps the profile's posts with that hashtag (no pinned block; a
    featured hashtag on the profile links here)."""
    tagged = _tagged_param(request)
    page = paged(
        request,
        lambda **kw: account_statuses(account=profile, viewer=viewer, tagged=tagged or None, **kw),
        lambda status: status.pk,
    )
    if tagged:
        keep = "&" + urlencode({"tagged": tagged})
        page.older_url = page.older_url and page.older_url + keep
        page.newer_url = page.newer_url and page.newer_url + keep
    first_page = cursor_param(request, "max_id") is None and cursor_param(request, "min_id") is None
    pinned = (
        account_statuses(account=profile, viewer=viewer, pinned=True)
        if first_page and not tagged
        else []
    )
    pinned_ids = {status.pk for status in pinned}
    rows = [status for status in page.rows if status.pk not in pinned_ids]
    # What the viewer's `hide` filters take out in `account` (the links stay as read).
    pinned = without_hidden(pinned, viewer, "account", request)
    rows = without_hidden(rows, viewer, "account", request)
    cards = post_cards(viewer, [*pinned, *rows])
    return {
        "pinned_cards": cards[: len(pinned)],
        "post_cards": cards[len(pinned) :],
        "posts_page": page,
        "tagged": tagged,
    }


@dataclass(frozen=True)
class MediaTile:
    """One attachment on a profile's Media tab, linking to its post. A sensitive post's
    tile shows no preview (the post keeps it behind its warning)."""

    item: MediaCard
    url: str
    sensitive: bool


def profile_media(request: HttpRequest, profile: Profile, viewer: Profile | None) -> dict[str, Any]:
    """The profile's Media tab: the attachments of their own posts that the viewer may see
    (`account_statuses(only_media=True)`: the same audience rules as the posts), newest
    post first, paged by post."""
    page = paged(
        request,
        lambda **kw: account_statuses(account=profile, viewer=viewer, only_media=True, **kw),
        lambda status: status.pk,
    )
    prefetch_related_objects(page.rows, attachments_prefetch())
    tiles = [
        MediaTile(item=item, url=status_url(status), sensitive=status.sensitive)
        for status in page.rows
        for item in ready_cards(list(status.media_attachments.all()))
    ]
    return {"media_tiles": tiles, "media_page": page}
