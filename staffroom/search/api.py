"""`/api/v2/search`: Mastodon's search over accounts, statuses and hashtags.

One call of `search.selectors.search`; the entities are the ones every other route builds
(`account_entities`, `status_entities`). As Mastodon: anyone may search accounts and
hashtags; posts, `offset` and `resolve` need a token (401 without one), and a token must
hold `read:search`. Bad input answers results or a 4xx in Mastodon's `{"error": ...}`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal, TypedDict

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from staffroom.core.exceptions import ValidationFailed
from staffroom.core.ids import parse_snowflake
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.posts.api.schemas import Status
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.posts.models import Tag
from staffroom.posts.services import tag_url
from staffroom.profiles.models import Profile
from staffroom.profiles.viewer import optional_viewer
from staffroom.search.query import QUERY_FIELD_MAX
from staffroom.search.selectors import search

router = Router(tags=["search"])

HISTORY_DAYS = 7


class TagHistory(Schema):
    day: str
    uses: str
    accounts: str


class SearchTag(Schema):
    """Mastodon's Tag (the `following` flag is false until followed tags exist)."""

    name: str
    url: str
    history: list[TagHistory]
    following: bool


class SearchResult(Schema):
    """Mastodon's Search entity."""

    accounts: list[Account]
    statuses: list[Status]
    hashtags: list[SearchTag]


class SearchQuery(Schema):
    q: str = Field(..., max_length=QUERY_FIELD_MAX, description="What to search for")
    type: Literal["accounts", "statuses", "hashtags", ""] = Field(
        "", description="Only this kind of result"
    )
    resolve: bool = Field(False, description="Resolve local addresses and URLs (needs a token)")
    following: bool = Field(False, description="Only accounts you follow")
    account_id: str | None = Field(None, description="Only posts by this account")
    exclude_unreviewed: bool = Field(False, description="Only hashtags a moderator reviewed")
    limit: int = Field(20, description="Results per kind (1 to 40)")
    offset: int = Field(0, description="Results to skip (needs a token)")


class TagHistoryEntity(TypedDict):
    day: str
    uses: str
    accounts: str


class TagEntity(TypedDict):
    name: str
    url: str
    history: list[TagHistoryEntity]
    following: bool


def _histories(tags: list[Tag]) -> dict[int, list[TagHistoryEntity]]:
    """Uses and distinct authors per day over the last week, newest day first (one query;
    days without posts read 0)."""
    today = timezone.now().date()
    since = today - timedelta(days=HISTORY_DAYS - 1)
    rows = (
        Tag.statuses.through.objects.filter(
            tag_id__in=[tag.pk for tag in tags], status__created_at__date__gte=since
        )
        .values("tag_id", day=TruncDate("status__created_at"))
        .annotate(uses=Count("status_id"), accounts=Count("status__account_id", distinct=True))
    )
    counts = {(row["tag_id"], row["day"]): (row["uses"], row["accounts"]) for row in rows}
    days = [today - timedelta(days=back) for back in range(HISTORY_DAYS)]
    return {
        tag.pk: [
            {
                "day": str(int(datetime.combine(day, time.min, tzinfo=UTC).timestamp())),
                "uses": str(counts.get((tag.pk, day), (0, 0))[0]),
                "accounts": str(counts.get((tag.pk, day), (0, 0))[1]),
            }
            for day in days
        ]
        for tag in tags
    }


def _tag_entities(tags: list[Tag], viewer: Profile | None) -> list[TagEntity]:
    """Mastodon's Tag for a page of hashtags (`following` waits for followed tags)."""
    if not tags:
        return []
    histories = _histories(tags)
    return [
        {
            "name": tag.name,
            "url": tag_url(tag.name),
            "history": histories[tag.pk],
            "following": False,
        }
        for tag in tags
    ]


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
    return {
        "accounts": accounts,
        "statuses": statuses,
        "hashtags": _tag_entities(results.hashtags, viewer),
    }
