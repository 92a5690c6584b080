"""`/api/v1/accounts/...` for the graph: follow, unfollow, block, mute and the rest (each
answers the new Relationship), relationships, followers, following and familiar followers.

`relationships` and `familiar_followers` are fixed paths under `/api/v1/accounts`, so this
router is mounted before the accounts router, whose `/{id}` would otherwise take them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.ids import IdsQuery, query_ids
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.graph.api._common import blocked_or_visible_target, relationship_with, target_of
from staffroom.graph.models import Follow
from staffroom.graph.schemas import (
    FamiliarFollowers,
    FamiliarFollowersEntity,
    FollowIn,
    MuteIn,
    Relationship,
    RelationshipEntity,
    relationship_entity,
)
from staffroom.graph.selectors import (
    followers_of,
    following_of,
    profiles_visible_to,
    relationships,
)
from staffroom.graph.services import (
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    follower_remove,
    mute_create,
    mute_delete,
)
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer

router = Router(tags=["graph"])
FAMILIAR_PER_ACCOUNT = 40


@router.get(
    "/relationships",
    response=list[Relationship],
    auth=TokenAuth("read:accounts"),
    summary="The signed-in user's relationships with accounts (`id[]`, at most 40)",
)
def relationships_list(request: HttpRequest, query: Query[IdsQuery]) -> list[RelationshipEntity]:
    """Unknown ids are left out, as Mastodon does. Accounts the viewer blocks, or that block
    the viewer, are answered (`blocking`, `blocked_by`), as Mastodon does."""
    viewer = own_profile(request)
    ids = query_ids(query.id)
    found = set(Profile.objects.in_good_standing().filter(pk__in=ids).values_list("pk", flat=True))
    targets = [pk for pk in ids if pk in found]
    return [relationship_entity(row) for row in relationships(viewer=viewer, targets=targets)]


@router.get(
    "/familiar_followers",
    response=list[FamiliarFollowers],
    auth=TokenAuth("read:follows"),
    exclude_unset=True,
    summary="Accounts you follow that also follow each given account (`id[]`, at most 40)",
)
def familiar_followers(
    request: HttpRequest, query: Query[IdsQuery]
) -> list[FamiliarFollowersEntity]:
    """Leaves out accounts that hide their follow lists, accounts not in good standing and
    accounts on either side of a block with the viewer. Constant number of queries."""
    viewer = own_profile(request)
    ids = query_ids(query.id)
    visible = profiles_visible_to(viewer)
    targets = list(visible.filter(pk__in=ids).values_list("pk", flat=True))
    rows = (
        Follow.objects.filter(
            followee_id__in=targets,
            follower__in=visible.filter(hide_follows=False),
            follower__follower_set__follower=viewer,
        )
        .exclude(follower=viewer)
        .select_related("follower__user")
        .order_by("-pk")
    )
    by_target: dict[int, list[Profile]] = {pk: [] for pk in targets}
    for row in rows:
        if len(by_target[row.followee_id]) < FAMILIAR_PER_ACCOUNT:
            by_target[row.followee_id].append(row.follower)
    profiles = list({p.pk: p for group in by_target.values() for p in group}.values())
    entities = {int(e["id"]): e for e in account_entities(profiles, request=request)}
    return [
        {"id": str(pk), "accounts": [entities[p.pk] for p in by_target[pk]]}
        for pk in ids
        if pk in by_target
    ]


@router.post(
    "/{id}/follow",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Follow an account (a follow request if it is locked); `purposes[]`, `quiet`",
)
def follow(request: HttpRequest, id: str, payload: FollowIn) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, id)
    follow_create(
        actor=viewer,
        target=target,
        purposes=payload.purposes,
        quiet=payload.quiet,
        notify=payload.notify,
        reblogs=payload.reblogs,
    )
    return relationship_with(viewer, target)


@router.post(
    "/{id}/unfollow",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Unfollow an account, or withdraw a follow request",
)
def unfollow(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, id)
    follow_delete(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.post(
    "/{id}/remove_from_followers",
    response=Relationship,
    auth=TokenAuth("write:follows"),
    summary="Remove an account from your followers",
)
def remove_from_followers(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer, target = own_profile(request), target_of(request, id)
    follower_remove(actor=viewer, follower=target)
    return relationship_with(viewer, target)


@router.post(
    "/{id}/block",
    response=Relationship,
    auth=TokenAuth("write:blocks"),
    summary="Block an account (ends follows and connections both ways)",
)
def block(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer = own_profile(request)
    target = blocked_or_visible_target(request, viewer, id)
    block_create(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.post(
    "/{id}/unblock",
    response=Relationship,
    auth=TokenAuth("write:blocks"),
    summary="Unblock an account",
)
def unblock(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer = own_profile(request)
    target = blocked_or_visible_target(request, viewer, id)
    block_delete(actor=viewer, target=target)
    return relationship_with(viewer, target)


@router.post(
    "/{id}/mute",
    response=Relationship,
    auth=TokenAuth("write:mutes"),
    summary="Mute an account; `notifications` (default true), `duration` seconds (0: forever)",
)
def mute(request: HttpRequest, id: str, payload: MuteIn) -> RelationshipEntity:
    viewer = own_profile(request)
    target = blocked_or_visible_target(request, viewer, id)
    mute_create(
        actor=viewer,
        target=target,
        notifications=payload.notifications,
        duration=payload.duration,
    )
    return relationship_with(viewer, target)


@router.post(
    "/{id}/unmute",
    response=Relationship,
    auth=TokenAuth("write:mutes"),
    summary="Unmute an account",
)
def unmute(request: HttpRequest, id: str) -> RelationshipEntity:
    viewer = own_profile(request)
    target = blocked_or_visible_target(request, viewer, id)
    mute_delete(actor=viewer, target=target)
    return relationship_with(viewer, target)


def _follow_page(
    request: HttpRequest, response: HttpResponse, id: str, page: PageQuery, *, followers: bool
) -> list[AccountEntity]:
    viewer = optional_viewer(request, "read:accounts")
    profile = target_of(request, id)
    select = followers_of if followers else following_of
    edges = select(
        profile=profile,
        viewer=viewer,
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [edge.id for edge in edges])
    return account_entities([edge.profile for edge in edges], request=request)


@router.get(
    "/{id}/followers",
    response=list[Account],
    exclude_unset=True,
    summary="Who follows an account, newest first (paginated, Link header)",
)
def followers(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    """Open to anyone, as on Mastodon: signed out it is the list a visitor may see. Empty
    when the account hides its follow lists (except to its owner) or a block stands between
    it and the viewer. A token, when sent, must be valid and hold `read:accounts`."""
    return _follow_page(request, response, id, page, followers=True)


@router.get(
    "/{id}/following",
    response=list[Account],
    exclude_unset=True,
    summary="Whom an account follows, newest first (paginated, Link header)",
)
def following(
    request: HttpRequest, response: HttpResponse, id: str, page: Query[PageQuery]
) -> list[AccountEntity]:
    """The same rules as followers."""
    return _follow_page(request, response, id, page, followers=False)
