"""`/api/v2/search`: Mastodon's search over accounts, statuses and hashtags.

One call of `search.selectors.search`; the entities are the ones every other route builds
(`account_entities`, `status_entities`). As Mastodon: anyone may search accounts and
hashtags; posts, `offset` and `resolve` need a token (401 without one), and a token must
hold `read:search`. Bad input answers results or a 4xx in Mastodon's `{"error": ...}`.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from staffroom.core.api.numbers import ClampedInt64, Offset
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.hashtags import normalize_tag
from staffroom.core.ids import parse_snowflake
from staffroom.hashtags.entities import tag_entities
from staffroom.hashtags.schemas import Tag as TagSchema
from staffroom.hashtags.selectors import tag_named
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.posts.api.schemas import Status
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.posts.models import Tag
from staffroom.posts.selectors import is_tag_name
from staffroom.profiles.viewer import optional_viewer
from staffroom.search.query import QUERY_FIELD_MAX
from staffroom.search.registry import LIMIT_MAX
from staffroom.search.selectors import search

router = Router(tags=["search"])


class SearchResult(Schema):
    """Mastodon's Search entity."""

    accounts: list[Account]
    statuses: list[Status]
    hashtags: list[TagSchema]


class SearchQuery(Schema):
    q: str = Field(..., max_length=QUERY_FIELD_MAX, description="What to search for")
    type: Literal["accounts", "statuses", "hashtags", ""] = Field(
        "", description="Only this kind of result"
    )
    resolve: bool = Field(False, description="Resolve local addresses and URLs (needs a token)")
    following: bool = Field(False, description="Only accounts you follow")
    account_id: str | None = Field(None, description="Only posts by this account")
    exclude_unreviewed: bool = Field(False, description="Only hashtags a moderator reviewed")
    limit: ClampedInt64 = Field(20, description="Results per kind (1 to 40)")
    offset: Offset = Field(0, description="Results to skip (needs a token)")


def _with_exact_tag(tags: list[Tag], q: str, *, reviewed_only: bool) -> list[Tag]:
    """Mastodon's answer to a query that is one hashtag name: that tag first, as it is or,
    when nobody used it yet, unsaved (id ""), so an app can follow a tag before its first
    post. It tells nothing: every valid name is answered alike, with public counts only."""
    bare = q.strip().removeprefix("#")
    key = normalize_tag(bare) if is_tag_name(bare) else ""
    if not key or any(tag.normalized == key for tag in tags):
        return tags
    exact = tag_named(bare) or Tag(name=bare, normalized=key)
    if reviewed_only and exact.reviewed_at is None:
        return tags
    return [exact, *tags]


def _account_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    parsed = parse_snowflake(raw)
    if parsed is None:
        raise ValidationFailed("Validation failed: account_id is not an account id")
    return parsed


@router.get(
    "/search",
    response=SearchResult,
    exclude_unset=True,
    summary="Search accounts, posts and hashtags (posts, offset and resolve need a token)",
    description=(
        '`q` understands `"exact phrase"`, `#tag` and `from:handle`. Accounts: handle, '
        "display name, bio, subjects and practices of discoverable accounts, any account "
        "by its exact handle. Posts (signed in only): public posts of accounts that let "
        "search index them, plus your own, favourited, bookmarked and mentioning you; "
        "never a post you may not see. Hashtags: by prefix of the normalised name."
    ),
)
def search_v2(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    viewer = optional_viewer(request, "read:search")
    if viewer is None and params.resolve:
        raise HttpError(
            401,
            "Search queries that resolve remote resources are not supported without authentication",
        )
    if viewer is None and params.offset > 0:
        raise HttpError(401, "Search queries pagination is not supported without authentication")
    results = search(
        viewer,
        params.q,
        kinds=[params.type] if params.type else None,
        limit=params.limit,
        offset=params.offset,
        following=params.following,
        account_id=_account_id(params.account_id),
        resolve=params.resolve,
        exclude_unreviewed=params.exclude_unreviewed,
    )
    accounts: list[AccountEntity] = account_entities(results.accounts, request=request)
    statuses: list[StatusEntity] = status_entities(results.statuses, viewer, request)
    hashtags = results.hashtags
    if params.type in ("", "hashtags") and params.offset == 0:
        hashtags = _with_exact_tag(hashtags, params.q, reviewed_only=params.exclude_unreviewed)
    return {
        "accounts": accounts,
        "statuses": statuses,
        "hashtags": tag_entities(hashtags[: min(max(params.limit, 1), LIMIT_MAX)], viewer),
    }
