"""Reading a post: its page with the conversation and the reply form, its edit history,
and who favourited or reshared it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib.auth.views import redirect_to_login
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from staffroom.filters.selectors import without_hidden
from staffroom.posts.forms import ComposeForm
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import (
    AccountEdge,
    favourited_by,
    is_conversation_muted,
    reblogged_by,
    status_context,
)
from staffroom.posts.views._cards import post_card, post_cards, status_url
from staffroom.posts.views._common import publish, status_at
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url
from staffroom.profiles.viewer import viewer_profile
from staffroom.web.paging import paged


def _reply_form(viewer: Profile, status: Status) -> ComposeForm:
    """A reply starts with the author's handle and the post's own audience (a reply to a
    followers-only question stays among followers unless the teacher widens it)."""
    mention = "" if status.account_id == viewer.pk else f"@{status.account.acct} "
    return ComposeForm(initial={"text": mention, "visibility": status.visibility})


# Posts that may be embedded on other sites (oEmbed): those anyone may read.
EMBEDDABLE = (Visibility.PUBLIC, Visibility.UNLISTED)


def oembed_url_for(status: Status) -> str:
    """The oEmbed address of a public or unlisted post (`/api/oembed?url=...`)."""
    base = instance_base_url()
    address = f"{base}/@{status.account.handle}/{status.pk}"
    return f"{base}/api/oembed?{urlencode({'url': address})}"


def _depths(status: Status, descendants: list[Status]) -> dict[int, int]:
    """How deep each reply sits under the post (a reply whose parent is hidden from the
    viewer is drawn as a direct reply)."""
    depths = {status.pk: 0}
    for reply in descendants:  # depth first: a parent always comes before its replies
        depths[reply.pk] = depths.get(reply.in_reply_to_id or 0, 0) + 1
    return depths


def _thread_page(
    request: HttpRequest,
    viewer: Profile | None,
    status: Status,
    form: ComposeForm | None,
    code: int = 200,
) -> HttpResponse:
    conversation = status_context(status, viewer)
    # Posts above and below that the viewer's `hide` filters take out in `thread`.
    ancestors = without_hidden(conversation.ancestors, viewer, "thread", request)
    descendants = without_hidden(conversation.descendants, viewer, "thread", request)
    rows = [*ancestors, status, *descendants]
    cards = post_cards(viewer, rows, depths=_depths(status, descendants), highlighted=status.pk)
    above = len(ancestors)
    context = {
        "card": cards[above],
        "ancestors": cards[:above],
        "descendants": cards[above + 1 :],
        "form": form,
        "next": request.get_full_path(),
        "conversation_muted": viewer is not None
        and is_conversation_muted(viewer.pk, status.thread_id),
        "oembed_url": oembed_url_for(status) if status.visibility in EMBEDDABLE else "",
    }
    return render(request, "posts/status_detail.html", context, status=code)


@require_http_methods(["GET", "POST"])
def status_detail(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>`: the post with its conversation, and a reply form for a signed-in
    viewer (POST replies). A reshare's address leads to the original."""
    viewer = viewer_profile(request)
    status = status_at(handle, status_id, viewer)
    if status.is_reblog:
        return redirect(status_url(status))
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())

        def again(form: ComposeForm, code: int) -> HttpResponse:
            return _thread_page(request, viewer, status, form, code)

        sent = ComposeForm(request.POST, request.FILES)
        return publish(request, viewer, sent, again, in_reply_to=status)
    form = _reply_form(viewer, status) if viewer is not None else None
    return _thread_page(request, viewer, status, form)


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # typed for (request) views
def status_embed(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/embed`: just the post, for an iframe on another site (the oEmbed
    `html`). Only a public or unlisted post, read as a signed-out visitor would: any other
    is a 404, whoever asks. The one page other sites may frame (`frame-ancestors *`)."""
    status = status_at(handle, status_id, None)
    if status.is_reblog or status.visibility not in EMBEDDABLE:
        raise Http404
    return render(request, "posts/status_embed.html", {"card": post_card(None, status)})


@require_GET
def status_history(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/history`: every version of an edited post, oldest first."""
    viewer = viewer_profile(request)
    status = status_at(handle, status_id, viewer)
    if status.is_reblog:
        return redirect(status_url(status, "posts:status-history"))
    # The versions of a post the viewer may see (checked just above); kept oldest first.
    versions = list(status.edits.order_by("id"))
    context = {"card": post_card(viewer, status), "versions": versions}
    return render(request, "posts/status_history.html", context)


def _people_page(
    request: HttpRequest,
    handle: str,
    status_id: str,
    fetch: Callable[..., list[AccountEdge]],
    **context: Any,
) -> HttpResponse:
    viewer = viewer_profile(request)
    status = status_at(handle, status_id, viewer)
    if status.is_reblog:
        status = status.reblog_of or status
    page = paged(request, lambda **kw: fetch(status, viewer, **kw), lambda edge: edge.id)
    profiles = [edge.profile for edge in page.rows]
    prefetch_related_objects(profiles, "terms")
    people = [profile_views.profile_display(profile) for profile in profiles]
    context |= {"card": post_card(viewer, status), "page": page, "people": people}
    return render(request, "posts/status_people.html", context)


@require_GET
def status_favourites(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/favourites`: who favourited the post (people hidden from the viewer
    are left out)."""
    return _people_page(
        request,
        handle,
        status_id,
        favourited_by,
        title=_("Favourited by"),
        empty=_("Nobody has favourited this post yet."),
    )


@require_GET
def status_reshares(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/reshares`: who reshared the post."""
    return _people_page(
        request,
        handle,
        status_id,
        reblogged_by,
        title=_("Reshared by"),
        empty=_("Nobody has reshared this post yet."),
    )
