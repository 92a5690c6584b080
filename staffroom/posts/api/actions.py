"""`/api/v1/statuses/:id/...`: favourite, reshare, bookmark, pin and mute (each answers
the Status), and who favourited or reshared a post (Account pages with Link headers)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.posts.api._common import visibility_from
from staffroom.posts.api.schemas import ReblogIn, Status
from staffroom.posts.entities import StatusEntity, status_entity
from staffroom.posts.selectors import favourited_by, reblogged_by, status_get_for_viewer
from staffroom.posts.services import (
    bookmark_create,
    bookmark_delete,
    conversation_mute,
    conversation_unmute,
    favourite_create,
    favourite_delete,
    reblog_create,
    reblog_delete,
    status_pin,
    status_unpin,
)
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer

router = Router(tags=["statuses"])


@router.post(
    "/{id}/favourite",
    response=Status,
    auth=TokenAuth("write:favourites"),
    exclude_unset=True,
    summary="Favourite a post (idempotent)",
)
def favourite(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = favourite_create(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/unfavourite",
    response=Status,
    auth=TokenAuth("write:favourites"),
    exclude_unset=True,
    summary="Undo a favourite",
)
def unfavourite(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = favourite_delete(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/reblog",
    response=Status,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Reshare a public or unlisted post; `visibility` public, unlisted or private",
)
def reblog(request: HttpRequest, id: str, payload: ReblogIn) -> StatusEntity:
    """Answers the reshare, the original nested in `reblog`, as Mastodon does."""
    viewer = own_profile(request)
    status = status_get_for_viewer(id, viewer)
    chosen = visibility_from(payload.visibility, None)
    return status_entity(
        reblog_create(actor=viewer, status=status, visibility=chosen), viewer, request
    )


@router.post(
    "/{id}/unreblog",
    response=Status,
    auth=TokenAuth("write:statuses"),
    exclude_unset=True,
    summary="Undo your reshare; answers the original post",
)
def unreblog(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = reblog_delete(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/bookmark",
    response=Status,
    auth=TokenAuth("write:bookmarks"),
    exclude_unset=True,
    summary="Bookmark a post (idempotent)",
)
def bookmark(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = bookmark_create(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/unbookmark",
    response=Status,
    auth=TokenAuth("write:bookmarks"),
    exclude_unset=True,
    summary="Remove a bookmark",
)
def unbookmark(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = bookmark_delete(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/pin",
    response=Status,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Feature your post on your profile (at most five)",
)
def pin(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = status_pin(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/unpin",
    response=Status,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Stop featuring your post",
)
def unpin(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = status_unpin(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/mute",
    response=Status,
    auth=TokenAuth("write:mutes"),
    exclude_unset=True,
    summary="Mute a post's conversation: no notifications about its thread (`muted`)",
)
def mute_conversation(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = conversation_mute(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.post(
    "/{id}/unmute",
    response=Status,
    auth=TokenAuth("write:mutes"),
    exclude_unset=True,
    summary="Unmute a post's conversation",
)
def unmute_conversation(request: HttpRequest, id: str) -> StatusEntity:
    viewer = own_profile(request)
    status = conversation_unmute(actor=viewer, status=status_get_for_viewer(id, viewer))
    return status_entity(status, viewer, request)


@router.get(
    "/{id}/favourited_by",
    response=list[Account],
    exclude_unset=True,
    summary="Who favourited a post, newest first (Link header; no sign-in needed)",
)
def status_favourited_by(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    viewer = optional_viewer(request, "read:accounts")
    status = status_get_for_viewer(id, viewer)
    edges = favourited_by(
        status.reblog_of or status,
        viewer,
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [edge.id for edge in edges])
    return account_entities([edge.profile for edge in edges], request=request)


@router.get(
    "/{id}/reblogged_by",
    response=list[Account],
    exclude_unset=True,
    summary="Who reshared a post, newest first (Link header; no sign-in needed)",
)
def status_reblogged_by(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    viewer = optional_viewer(request, "read:accounts")
    status = status_get_for_viewer(id, viewer)
    edges = reblogged_by(
        status.reblog_of or status,
        viewer,
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [edge.id for edge in edges])
    return account_entities([edge.profile for edge in edges], request=request)
