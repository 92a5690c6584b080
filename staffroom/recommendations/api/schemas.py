"""Wire shapes of the suggestions and starter pack API: Mastodon's Suggestion (plus `reason`
and `reasons`), the PLN starter pack, the result of following a whole pack and the packs
the engine proposes, and what the routes accept.

Component names carry `Entity` where a plain name is taken elsewhere in the one OpenAPI
document (the timelines' `Suggestion` is why a post is on a home page).
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, WithJsonSchema

from staffroom.core.api.numbers import ClampedInt64, Offset
from staffroom.mastodon_api.entities import Account
from staffroom.recommendations.models import (
    PACK_ACCOUNTS_MAX,
    PACK_DESCRIPTION_MAX_LENGTH,
    PACK_TITLE_MAX_LENGTH,
)
from staffroom.recommendations.selectors import LIMIT_MAX

# Taxonomy slugs a pack may name; more than this is a 422 before any query.
SLUGS_MAX = 50
# Room for the service to say "at most 150" itself (and name the count) rather than a
# schema error, while bounding what one request may send.
ACCOUNT_IDS_MAX = PACK_ACCOUNTS_MAX * 4
# Text fields are bounded loosely: the service gives the translated message for too long.
TEXT_MAX = max(PACK_TITLE_MAX_LENGTH, PACK_DESCRIPTION_MAX_LENGTH) * 10


class SuggestionReasonEntity(Schema):
    """One reason an account is suggested: `kind` (a stable word for clients), `text` (a
    translated sentence for people) and `weight` (its share of the decision, 0..1)."""

    kind: str
    text: str
    weight: float


class SuggestionEntity(Schema):
    """Mastodon 4.3's Suggestion, plus `reason` (one sentence) and `reasons`."""

    source: str = Field(description="Deprecated in Mastodon 4.3: one of `sources`")
    sources: list[str] = Field(
        description="Mastodon's sources: featured, most_followed, most_interactions, "
        "similar_to_recently_followed, friends_of_friends"
    )
    account: Account
    reason: str = Field(description="Why, in one sentence")
    reasons: list[SuggestionReasonEntity] = Field(description="Why, strongest first")


class StarterPackEntity(Schema):
    """A curated set of accounts to follow in one action."""

    id: str
    title: str
    description: str
    subjects: list[str] = Field(description="Subject slugs (see /api/v1/pln/taxonomy)")
    grade_bands: list[str] = Field(description="Grade band slugs")
    curator: Account
    accounts_count: int
    url: str = Field(description="The pack's web page")
    created_at: str
    updated_at: str


class StarterPackDetail(StarterPackEntity):
    """A pack with its accounts, in the curator's order (those hidden from you left out)."""

    accounts: list[Account]


# The range `check_limit` enforces (422 outside it, in its own words), documented from the
# same constant rather than by pydantic, whose message would differ.
LIMIT_RANGE: dict[str, Any] = {"minimum": 1, "maximum": LIMIT_MAX}
# A `limit` query parameter the selector checks itself (the same 422), documented 1..80.
CheckedLimit = Annotated[int, WithJsonSchema({"type": "integer", **LIMIT_RANGE})]


class StarterPackQuery(Schema):
    subject: str = Field("", description="A subject slug the pack serves")
    band: str = Field("", description="A grade band slug the pack serves")
    curator: str = Field("", description="The curator's account id")
    limit: ClampedInt64 = Field(40, json_schema_extra=LIMIT_RANGE)
    offset: Offset = Field(0, ge=0)


class StarterPackIn(Schema):
    """A pack's fields. On create `title` is needed; on update whatever is left out stays,
    and `account_ids` replaces the accounts in the order given (at most 150)."""

    title: str | None = Field(None, max_length=TEXT_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    subjects: list[str] | None = Field(None, max_length=SLUGS_MAX)
    grade_bands: list[str] | None = Field(None, max_length=SLUGS_MAX)
    account_ids: list[str | int] | None = Field(None, max_length=ACCOUNT_IDS_MAX)


class StarterPackFollowIn(Schema):
    """Into which purpose list the follows go: one of yours (`list_id`), a new one
    (`list_title` and `list_purpose`), or none."""

    list_id: str | int | None = None
    list_title: str = Field("", max_length=TEXT_MAX)
    list_purpose: str = Field("", max_length=32)


class PackFollowItem(Schema):
    account: Account
    result: str = Field(description="followed, requested, already_following, unavailable or self")


class PackFollowResultEntity(Schema):
    """What following a pack did to each account. Accounts you may not see (a block either
    way, or gone) count in `unavailable` without being listed."""

    list_id: str | None = Field(description="The purpose list the follows went into")
    results: list[PackFollowItem]
    followed: int
    requested: int
    already_following: int
    unavailable: int


class StarterPackProposal(Schema):
    """A pack the engine proposes for one of your subjects and grade bands: the most
    followed and active educators teaching both. Create a pack from it to keep it."""

    subject: str
    band: str
    title: str
    reason: str
    accounts: list[Account]
