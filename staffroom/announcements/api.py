"""Mastodon's announcement routes: `GET /api/v1/announcements` (those in force, with the
viewer's `read` and reactions), `POST /api/v1/announcements/:id/dismiss`, and
`PUT`/`DELETE /api/v1/announcements/:id/reactions/:name`. Scopes as Mastodon: `read` to
list, `write:accounts` to dismiss, `write:favourites` to react."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from staffroom.announcements.entities import (
    Announcement,
    AnnouncementEntity,
    announcement_entities,
)
from staffroom.announcements.selectors import active_announcements
from staffroom.announcements.services import (
    announcement_dismiss,
    announcement_reaction_add,
    announcement_reaction_remove,
)
from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.profiles.selectors import own_profile

router = Router(tags=["announcements"])


@router.get(
    "",
    response=list[Announcement],
    auth=TokenAuth("read"),
    exclude_unset=True,
    summary="The announcements in force, oldest event first, with your reads and reactions",
)
def announcement_list(request: HttpRequest) -> list[AnnouncementEntity]:
    viewer = own_profile(request)
    return announcement_entities(list(active_announcements()), viewer)


@router.post(
    "/{id}/dismiss",
    response=dict[str, object],
    auth=TokenAuth("write:accounts"),
    summary="Mark an announcement as read",
)
def announcement_dismiss_route(request: HttpRequest, id: str) -> EmptyEntity:
    announcement_dismiss(account=own_profile(request), announcement_id=id)
    return {}


@router.put(
    "/{id}/reactions/{name}",
    response=dict[str, object],
    auth=TokenAuth("write:favourites"),
    summary="React to an announcement with a Unicode emoji or a custom emoji's shortcode",
)
def announcement_reaction_put(request: HttpRequest, id: str, name: str) -> EmptyEntity:
    announcement_reaction_add(account=own_profile(request), announcement_id=id, name=name)
    return {}


@router.delete(
    "/{id}/reactions/{name}",
    response=dict[str, object],
    auth=TokenAuth("write:favourites"),
    summary="Take back your reaction to an announcement",
)
def announcement_reaction_delete(request: HttpRequest, id: str, name: str) -> EmptyEntity:
    announcement_reaction_remove(account=own_profile(request), announcement_id=id, name=name)
    return {}
