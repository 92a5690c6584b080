"""What the graph's API routes share: the viewer, resolving targets, pages and Link headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import Field

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Block
from staffroom.graph.schemas import relationship_entity
from staffroom.graph.selectors import relationships
from staffroom.mastodon_api.routes.accounts import DEFAULT_LIMIT, page_window
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import profile_get_for_viewer
from staffroom.profiles.uris import instance_base_url

NOT_FOUND = "Record not found"
ID_MAX = 2**63 - 1
_CURSORS = frozenset({"max_id", "since_id", "min_id"})
# Mastodon answers relationships and familiar followers for up to this many ids at a time.
QUERY_IDS_MAX = 40


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


parse_id = id_or_not_found  # one rule for ids everywhere (core/ids.py)


def query_ids(values: Sequence[str]) -> list[int]:
    """The ids of a query such as `id[]=1&id[]=2`: at most QUERY_IDS_MAX (more is a 422);
    malformed ones are left out (Mastodon omits what it cannot find); duplicates once."""
    if len(values) > QUERY_IDS_MAX:
        raise ValidationFailed(f"Validation failed: at most {QUERY_IDS_MAX} ids at a time")
    found: list[int] = []
    for value in values:
        try:
            found.append(parse_id(value))
        except NotFound:
            continue
    return list(dict.fromkeys(found))


def relationship_with(viewer: Profile, target: Profile) -> dict[str, Any]:
    return relationship_entity(relationships(viewer=viewer, targets=[target])[0])


class PageQuery(Schema):
    """Mastodon's id pagination: newest first; `max_id` (older than), `since_id` (newer
    than), `min_id` (the page just newer than); `limit` 1..80 (0 or junk sign: see
    page_window). Ids beyond 64 bits are clamped, never an error."""

    limit: int = DEFAULT_LIMIT
    max_id: int | None = Field(None)
    since_id: int | None = Field(None)
    min_id: int | None = Field(None)

    @property
    def size(self) -> int:
        return page_window(self.limit, 0)[0]

    @property
    def before(self) -> int | None:
        return _clamp(self.max_id)

    @property
    def since(self) -> int | None:
        return _clamp(self.since_id)

    @property
    def newer(self) -> int | None:
        return _clamp(self.min_id)

    @property
    def after(self) -> int | None:
        """`since_id` for the pages whose selectors have no `since_id`: it reads as `min_id`
        would (newer than), which is what a client polling for new rows wants."""
        return _clamp(self.min_id if self.min_id is not None else self.since_id)


def _clamp(value: int | None) -> int | None:
    return None if value is None else max(0, min(value, ID_MAX))


class IdsQuery(Schema):
    """`id[]=1&id[]=2` (or a single `id=1`)."""

    id: list[str] = Field(default_factory=list)


def set_link_header(
    request: HttpRequest, response: HttpResponse, ids: Sequence[int], page: PageQuery
) -> None:
    """Mastodon's Link header for a page whose rows have these cursor ids (newest first):
    `rel="next"` pages older rows (`max_id` = the last id), `rel="prev"` newer ones
    (`min_id` = the first id). The request's other parameters (`limit`, `state`) are kept;
    URLs are on the instance's domain, as Mastodon's are. No header for an empty page."""
    if not ids:
        return
    base = instance_base_url() + request.path
    kept = [(key, values) for key, values in request.GET.lists() if key not in _CURSORS]
    next_url = f"{base}?{urlencode([*kept, ('max_id', [str(ids[-1])])], doseq=True)}"
    prev_url = f"{base}?{urlencode([*kept, ('min_id', [str(ids[0])])], doseq=True)}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'
