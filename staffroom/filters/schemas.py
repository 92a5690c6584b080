"""Wire shapes of the filter routes (the entities are built in `entities.py`)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field, field_validator

# Far above any real value: the services answer the clear limit message (422).
_TEXT_MAX = 100_000


class FilterKeyword(Schema):
    id: str
    keyword: str
    whole_word: bool


class FilterStatus(Schema):
    id: str
    status_id: str


class Filter(Schema):
    """Mastodon 4's Filter."""

    id: str
    title: str
    context: list[str]
    expires_at: str | None
    filter_action: str
    keywords: list[FilterKeyword]
    statuses: list[FilterStatus]


class FilterResult(Schema):
    """Mastodon's FilterResult, in a Status's `filtered`."""

    filter: Filter
    keyword_matches: list[str] | None
    status_matches: list[str] | None


class V1Filter(Schema):
    """Mastodon's v1 Filter: one keyword."""

    id: str
    phrase: str
    context: list[str]
    expires_at: str | None
    irreversible: bool
    whole_word: bool


def _expires(value: Any) -> Any:
    """Mastodon reads an empty `expires_in` as "never"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _contexts(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


class KeywordAttributes(BaseModel):
    """One row of `keywords_attributes[]` (a plain model: Schema cannot read `_destroy`)."""

    id: str | int | None = None
    keyword: str | None = Field(None, max_length=_TEXT_MAX)
    whole_word: bool | None = None
    destroy: bool = Field(False, alias="_destroy")


class FilterIn(Schema):
    """`POST /api/v2/filters` and `PUT /api/v2/filters/:id` (what is absent stays, on PUT)."""

    title: str | None = Field(None, max_length=_TEXT_MAX)
    context: list[str] | None = None
    filter_action: str | None = Field(None, max_length=_TEXT_MAX)
    expires_in: int | None = None
    keywords_attributes: list[KeywordAttributes] | None = None

    _expires = field_validator("expires_in", mode="before")(_expires)
    _contexts = field_validator("context", mode="before")(_contexts)

    @field_validator("keywords_attributes", mode="before")
    @classmethod
    def _rows(cls, value: Any) -> Any:
        """Rails also sends the rows as a hash keyed by index (`[0][keyword]`)."""
        if isinstance(value, dict):
            return list(value.values())
        return value


class KeywordIn(Schema):
    keyword: str | None = Field(None, max_length=_TEXT_MAX)
    whole_word: bool | None = None


class FilterStatusIn(Schema):
    status_id: str | int | None = None


class V1FilterIn(Schema):
    """`POST /api/v1/filters` and `PUT /api/v1/filters/:id`."""

    phrase: str | None = Field(None, max_length=_TEXT_MAX)
    context: list[str] | None = None
    irreversible: bool | None = None
    whole_word: bool | None = None
    expires_in: int | None = None

    _expires = field_validator("expires_in", mode="before")(_expires)
    _contexts = field_validator("context", mode="before")(_contexts)
