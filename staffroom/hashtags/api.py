"""Mastodon's hashtag routes: `/api/v1/tags/:name` (with follow and unfollow),
`/api/v1/tags/:name/feature` and `unfeature` (Mastodon 4.4), `/api/v1/followed_tags`,
`/api/v1/featured_tags` (with suggestions) and `/api/v1/accounts/:id/featured_tags`.

A name that cannot be a hashtag (`C++`, empty, a NUL byte, too long) is a 404 on the tag
routes, as on Mastodon, and a 422 on `POST /api/v1/featured_tags`. Each route calls one
service or selector and answers the entities of `entities.py`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.hashtags import schemas
from staffroom.hashtags.entities import (
    FeaturedTagEntity,
    TagEntity,
    featured_tag_entities,
    tag_entities,
)
from staffroom.hashtags.selectors import (
    featured_tag_suggestions,
    featured_tags_of,
    followed_tags,
    tag_named,
)
from staffroom.hashtags.services import (
    featured_tag_add,
    featured_tag_remove,
    featured_tag_remove_by_name,
    tag_follow,
    tag_unfollow,
)
from staffroom.posts.models import Tag
from staffroom.posts.services import tag_name_clean
from staffroom.profiles.selectors import own_profile, profile_get_for_viewer
from staffroom.profiles.viewer import optional_viewer

tags_router = Router(tags=["hashtags"])
followed_tags_router = Router(tags=["hashtags"])
featured_tags_router = Router(tags=["hashtags"])
accounts_router = Router(tags=["hashtags"])


def _valid_name(name: str) -> str:
    """`name` without its `#`, or NotFound saying why it is not a hashtag."""
    try:
        return tag_name_clean(name)
    except ValidationFailed as error:
        raise NotFound(error.message.removeprefix("Validation failed: ").capitalize()) from error


@tags_router.get(
    "/{name}",
    response=schemas.Tag,
    exclude_unset=True,
    summary="A hashtag, with its use over the last week (no sign-in needed)",
)
def tag_get(request: HttpRequest, name: str) -> TagEntity:
    """A valid name nobody used yet answers the tag with an empty id and history, as
    Mastodon does; a name that cannot be a hashtag is a 404."""
    viewer = optional_viewer(request, "read:follows")
    bare = _valid_name(name)
    tag = tag_named(bare) or Tag(name=bare)
    return tag_entities([tag], viewer)[0]


@tags_router.post(
    "/{name}/follow",
    response=schemas.Tag,
    auth=TokenAuth("write:follows"),
    exclude_unset=True,
    summary="Follow a hashtag: its public posts join your home feed",
)
def tag_follow_route(request: HttpRequest, name: str) -> TagEntity:
    viewer = own_profile(request)
    tag = tag_follow(actor=viewer, name=_valid_name(name))
    return tag_entities([tag], viewer)[0]


@tags_router.post(
    "/{name}/unfollow",
    response=schemas.Tag,
    auth=TokenAuth("write:follows"),
    exclude_unset=True,
    summary="Stop following a hashtag",
)
def tag_unfollow_route(request: HttpRequest, name: str) -> TagEntity:
    viewer = own_profile(request)
    bare = _valid_name(name)
    tag = tag_unfollow(actor=viewer, name=bare) or Tag(name=bare)
    return tag_entities([tag], viewer)[0]


@tags_router.post(
    "/{name}/feature",
    response=schemas.Tag,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Feature a hashtag on your profile (Mastodon 4.4; at most 10)",
)
def tag_feature_route(request: HttpRequest, name: str) -> TagEntity:
    viewer = own_profile(request)
    row = featured_tag_add(actor=viewer, name=_valid_name(name))
    return tag_entities([row.tag], viewer)[0]


@tags_router.post(
    "/{name}/unfeature",
    response=schemas.Tag,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Stop featuring a hashtag on your profile (Mastodon 4.4)",
)
def tag_unfeature_route(request: HttpRequest, name: str) -> TagEntity:
    viewer = own_profile(request)
    bare = _valid_name(name)
    tag = featured_tag_remove_by_name(actor=viewer, name=bare) or Tag(name=bare)
    return tag_entities([tag], viewer)[0]


@followed_tags_router.get(
    "",
    response=list[schemas.Tag],
    auth=TokenAuth("read:follows"),
    exclude_unset=True,
    summary="The hashtags you follow, newest follow first (paginated, Link header)",
)
def followed_tag_list(
    request: HttpRequest, response: HttpResponse, page: Query[PageQuery]
) -> list[TagEntity]:
    viewer = own_profile(request)
    rows = followed_tags(
        viewer, limit=page.size, max_id=page.before, since_id=page.since, min_id=page.newer
    )
    set_link_header(request, response, [row.pk for row in rows])
    return tag_entities([row.tag for row in rows], viewer)


@featured_tags_router.get(
    "",
    response=list[schemas.FeaturedTag],
    auth=TokenAuth("read:accounts"),
    summary="The hashtags you feature on your profile",
)
def featured_tag_list(request: HttpRequest) -> list[FeaturedTagEntity]:
    viewer = own_profile(request)
    return featured_tag_entities(viewer, featured_tags_of(viewer))


@featured_tags_router.post(
    "",
    response=schemas.FeaturedTag,
    auth=TokenAuth("write:accounts"),
    summary="Feature a hashtag on your profile (`name`; at most 10)",
)
def featured_tag_create(request: HttpRequest, payload: schemas.FeaturedTagIn) -> FeaturedTagEntity:
    viewer = own_profile(request)
    row = featured_tag_add(actor=viewer, name=payload.name or "")
    return featured_tag_entities(viewer, [row])[0]


@featured_tags_router.get(
    "/suggestions",
    response=list[schemas.Tag],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="The hashtags you use most and do not feature yet",
)
def featured_tag_suggestion_list(request: HttpRequest) -> list[TagEntity]:
    viewer = own_profile(request)
    return tag_entities(featured_tag_suggestions(viewer), viewer)


@featured_tags_router.delete(
    "/{id}",
    response=dict[str, object],
    auth=TokenAuth("write:accounts"),
    summary="Stop featuring a hashtag (another account's featured tag is a 404)",
)
def featured_tag_delete(request: HttpRequest, id: str) -> EmptyEntity:
    featured_tag_remove(actor=own_profile(request), featured_tag_id=id)
    return {}


@accounts_router.get(
    "/{id}/featured_tags",
    response=list[schemas.FeaturedTag],
    summary="The hashtags an account features (no sign-in needed)",
)
def account_featured_tags(request: HttpRequest, id: str) -> list[FeaturedTagEntity]:
    optional_viewer(request, "read:accounts")
    account = profile_get_for_viewer(id, request.user)
    return featured_tag_entities(account, featured_tags_of(account))
