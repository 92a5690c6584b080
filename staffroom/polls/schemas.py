"""Schemas of the polls API: Mastodon's Poll, and what a vote sends."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator

from staffroom.mastodon_api.entities import CustomEmoji

CHOICES_MAX = 100


class PollOption(Schema):
    title: str
    votes_count: int | None


class Poll(Schema):
    """Mastodon 4.3's Poll (`voted` and `own_votes` only for a signed-in viewer)."""

    id: str
    expires_at: str | None
    expired: bool
    multiple: bool
    votes_count: int
    voters_count: int | None
    options: list[PollOption]
    emojis: list[CustomEmoji]
    voted: bool | None = None
    own_votes: list[int] | None = None


class PollVoteIn(Schema):
    """`choices[]=0&choices[]=2` (a form) or `{"choices": [0, 2]}` (JSON); indexes as
    numbers or strings, as Mastodon's clients send them."""

    choices: list[int] | None = None

    @field_validator("choices", mode="before")
    @classmethod
    def _one_choice_is_a_list(cls, value: Any) -> Any:
        if value is None or isinstance(value, list):
            return value[:CHOICES_MAX] if isinstance(value, list) else value
        return [] if value == "" else [value]
