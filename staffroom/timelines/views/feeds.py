"""The feed pages: home (drawn by web's home page, with the composer above it), one feed
per purpose list, the local timeline, and the index of a teacher's feeds; each with its
poll for new posts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from staffroom.core.exceptions import NotFound
from staffroom.graph.selectors import purpose_lists_of
from staffroom.posts.models import TAG_NAME_MAX_LENGTH
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.timelines import selectors
from staffroom.timelines.views._feed import feed_page, new_posts
from staffroom.web.errors import domain_errors


def home_feed(request: HttpRequest, viewer: Profile) -> dict[str, Any]:
    """The home page's feed: posts from the people the teacher follows, with the "from
    educators like you" items mixed in (as many as their feed settings ask, none at 0),
    and the teacher's purpose lists for the "Your feeds" menu."""

    def suggest(page_ids: list[int]) -> list[selectors.SuggestedItem]:
        return selectors.suggested_items(viewer, exclude_ids=page_ids)

    context = feed_page(
        request,
        viewer,
        lambda **kw: selectors.home_timeline(viewer, **kw),
        new_url=reverse("timelines:home-new"),
        suggest=suggest,
        filter_context="home",
    )
    return context | {"feed_lists": purpose_lists_of(viewer=viewer)}


@require_GET
def home_new(request: HttpRequest) -> HttpResponse:
    """`/home/new?since_id=<id>&seen=<n>`: the home feed's poll (an htmx fragment). Signed
    out meanwhile: 204 (a redirect to the sign-in page would be swapped into the feed)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    viewer = own_profile(request)
    return new_posts(
        request,
        lambda **kw: selectors.home_timeline(viewer, **kw),
        feed_url=reverse("web:home"),
        new_url=reverse("timelines:home-new"),
    )


@login_required
@require_GET
@domain_errors
def list_feed(request: HttpRequest, list_id: int) -> HttpResponse:
    """`/feeds/lists/<id>`: the posts of one purpose list's members, newest first. 404 for
    another teacher's or an unknown list (the same page for both)."""
    viewer = own_profile(request)
    purpose_list = selectors.purpose_list_of(viewer, list_id)
    context = feed_page(
        request,
        viewer,
        lambda **kw: selectors.list_timeline(viewer, purpose_list, **kw),
        new_url=reverse("timelines:list-feed-new", args=[purpose_list.pk]),
        filter_context="home",
    )
    context |= {"list": purpose_list, "feed_lists": purpose_lists_of(viewer=viewer)}
    return render(request, "timelines/list_feed.html", context)


@require_GET
def list_feed_new(request: HttpRequest, list_id: int) -> HttpResponse:
    """`/feeds/lists/<id>/new`: the purpose feed's poll. 204 when signed out or when the
    list is not (or no longer) the teacher's: htmx would swap an error page into the feed."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    viewer = own_profile(request)
    try:
        purpose_list = selectors.purpose_list_of(viewer, list_id)
    except NotFound:
        return HttpResponse(status=204)
    return new_posts(
        request,
        lambda **kw: selectors.list_timeline(viewer, purpose_list, **kw),
        feed_url=reverse("timelines:list-feed", args=[purpose_list.pk]),
        new_url=reverse("timelines:list-feed-new", args=[purpose_list.pk]),
    )


@require_GET
def local_feed(request: HttpRequest) -> HttpResponse:
    """`/local`: public posts by teachers of this server, newest first. Anyone may read it,
    signed in or not."""
    viewer = viewer_profile(request)
    context = feed_page(
        request,
        viewer,
        lambda **kw: selectors.public_timeline(viewer, local=True, **kw),
        new_url=reverse("timelines:local-feed-new"),
        filter_context="public",
    )
    if viewer is not None:
        context["feed_lists"] = purpose_lists_of(viewer=viewer)
    return render(request, "timelines/local_feed.html", context)


@require_GET
def local_feed_new(request: HttpRequest) -> HttpResponse:
    """`/local/new`: the local timeline's poll."""
    viewer = viewer_profile(request)
    return new_posts(
        request,
        lambda **kw: selectors.public_timeline(viewer, local=True, **kw),
        feed_url=reverse("timelines:local-feed"),
        new_url=reverse("timelines:local-feed-new"),
    )


@login_required
@require_GET
def feeds_index(request: HttpRequest) -> HttpResponse:
    """`/feeds`: the teacher's feeds: home, local, and one per purpose list."""
    viewer = own_profile(request)
    return render(request, "timelines/feeds.html", {"feed_lists": purpose_lists_of(viewer=viewer)})


@require_GET
def tag_feed_new(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>/new`: the hashtag page's poll (the page itself is posts' `/tags/<name>`)."""
    viewer = viewer_profile(request)
    name = name[:TAG_NAME_MAX_LENGTH]
    return new_posts(
        request,
        lambda **kw: selectors.tag_timeline(viewer, name, **kw),
        feed_url=reverse("posts:tag", args=[name]),
        new_url=reverse("timelines:tag-feed-new", args=[name]),
    )
