"""`/api/v1/preferences`: the signed-in user's posting and reading defaults."""

from __future__ import annotations

from typing import Literal, TypedDict

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from staffroom.core.api.auth import TokenAuth
from staffroom.posts.posting_defaults import posting_defaults
from staffroom.posts.visibility_words import MASTODON_VISIBILITY
from staffroom.profiles.selectors import own_profile

# Mastodon's Preferences: its keys hold colons, hence the functional form.
PreferencesEntity = TypedDict(
    "PreferencesEntity",
    {
        "posting:default:visibility": str,
        "posting:default:sensitive": bool,
        "posting:default:language": str | None,
        "reading:expand:media": str,
        "reading:expand:spoilers": bool,
    },
)

router = Router(tags=["preferences"])


class Preferences(Schema):
    """Mastodon's Preferences; the keys contain colons, so the fields use aliases."""

    posting_default_visibility: Literal["public", "unlisted", "private", "direct"] = Field(
        alias="posting:default:visibility"
    )
    posting_default_sensitive: bool = Field(alias="posting:default:sensitive")
    posting_default_language: str | None = Field(alias="posting:default:language")
    reading_expand_media: Literal["default", "show_all", "hide_all"] = Field(
        alias="reading:expand:media"
    )
    reading_expand_spoilers: bool = Field(alias="reading:expand:spoilers")


@router.get(
    "",
    response=Preferences,
    auth=TokenAuth("read:accounts"),
    by_alias=True,
    summary="The signed-in user's posting and reading defaults",
)
def preferences(request: HttpRequest) -> PreferencesEntity:
    # The posting defaults are set through update_credentials' `source`; the reading ones
    # cannot be changed yet, so they are Mastodon's defaults.
    defaults = posting_defaults(own_profile(request))
    return {
        "posting:default:visibility": MASTODON_VISIBILITY[defaults.visibility],
        "posting:default:sensitive": defaults.sensitive,
        "posting:default:language": defaults.language or None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
