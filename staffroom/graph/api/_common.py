"""What the graph's API routes share: resolving target accounts and the relationship with
one. Paging, Link headers and id lists are `core.api`'s (pagination, ids)."""

from __future__ import annotations

from django.http import HttpRequest

from staffroom.core.api.ids import parse_id
from staffroom.core.exceptions import NotFound
from staffroom.graph.models import Block
from staffroom.graph.schemas import RelationshipEntity, relationship_entity
from staffroom.graph.selectors import relationships
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import profile_get_for_viewer


def target_of(request: HttpRequest, account_id: str) -> Profile:
    """The account `account_id` as the viewer may see it; NotFound otherwise (unknown,
    deleted, not in good standing, or on either side of a block with the viewer)."""
    return profile_get_for_viewer(account_id, request.user)


def blocked_or_visible_target(request: HttpRequest, viewer: Profile, account_id: str) -> Profile:
    """Like target_of, but also finds an account the viewer blocks (block, unblock, mute and
    unmute must reach it, and the blocks page lists it). An account that blocks the viewer
    stays NotFound: to them it does not exist."""
    try:
        return target_of(request, account_id)
    except NotFound:
        block = (
            Block.objects.filter(blocker=viewer, blocked_id=parse_id(account_id))
            .filter(blocked__in=Profile.objects.in_good_standing())
            .select_related("blocked__user")
            .first()
        )
        if block is None:
            raise
        return block.blocked


def relationship_with(viewer: Profile, target: Profile) -> RelationshipEntity:
    return relationship_entity(relationships(viewer=viewer, targets=[target])[0])
