"""Mastodon's Filter (v2), FilterKeyword, FilterStatus, FilterResult and the v1 Filter,
built from filters (wire formats stay out of the models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict

from staffroom.filters.models import Filter, FilterAction, FilterKeyword, FilterStatus
from staffroom.filters.selectors import FilterMatch


class FilterKeywordEntity(TypedDict):
    id: str
    keyword: str
    whole_word: bool


class FilterStatusEntity(TypedDict):
    id: str
    status_id: str


class FilterEntity(TypedDict):
    """Mastodon 4's Filter (v2)."""

    id: str
    title: str
    context: list[str]
    expires_at: str | None
    filter_action: str
    keywords: list[FilterKeywordEntity]
    statuses: list[FilterStatusEntity]


class FilterResultEntity(TypedDict):
    """Mastodon's FilterResult: in a Status's `filtered`."""

    filter: FilterEntity
    keyword_matches: list[str] | None
    status_matches: list[str] | None


class V1FilterEntity(TypedDict):
    """Mastodon's v1 Filter: one keyword of a filter."""

    id: str
    phrase: str
    context: list[str]
    expires_at: str | None
    irreversible: bool
    whole_word: bool


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def keyword_entity(keyword: FilterKeyword) -> FilterKeywordEntity:
    return {"id": str(keyword.pk), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def filter_status_entity(row: FilterStatus) -> FilterStatusEntity:
    return {"id": str(row.pk), "status_id": str(row.status_id)}


def filter_entity(item: Filter) -> FilterEntity:
    """The filter with its keywords and posts (prefetched by the selectors)."""
    return {
        "id": str(item.pk),
        "title": item.title,
        "context": list(item.context),
        "expires_at": _timestamp(item.expires_at),
        "filter_action": item.action,
        "keywords": [keyword_entity(keyword) for keyword in item.keywords.all()],
        "statuses": [filter_status_entity(row) for row in item.statuses.all()],
    }


def filter_result_entities(matches: list[FilterMatch]) -> list[FilterResultEntity]:
    return [
        {
            "filter": filter_entity(match.filter),
            "keyword_matches": match.keyword_matches,
            "status_matches": match.status_matches,
        }
        for match in matches
    ]


def v1_filter_entity(keyword: FilterKeyword) -> V1FilterEntity:
    parent = keyword.filter
    return {
        "id": str(keyword.pk),
        "phrase": keyword.keyword,
        "context": list(parent.context),
        "expires_at": _timestamp(parent.expires_at),
        "irreversible": parent.action == FilterAction.HIDE,
        "whole_word": keyword.whole_word,
    }
