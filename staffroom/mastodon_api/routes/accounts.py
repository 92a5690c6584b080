"""`/api/v1/accounts`: the signed-in teacher's own account, lookup, search and profiles.

The fixed paths (`verify_credentials`, `update_credentials`, `lookup`, `search`) are declared
before `/{id}`, so an id never shadows them. Account responses are dumped with
`exclude_unset`, so `pln.goals` is absent (not null) unless the viewer owns the account.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query as QueryOf  # the schema-typed form of `Query`
from ninja import Router, Schema
from ninja.files import UploadedFile
from ninja.params.functions import Query
from pydantic import Field, field_validator

from staffroom.core.api.auth import TokenAuth, optional_token
from staffroom.core.api.errors import ScopeError
from staffroom.core.api.ids import IdsQuery, query_ids
from staffroom.core.api.numbers import ClampedInt64, Offset
from staffroom.core.api.pagination import DEFAULT_LIMIT, page_window
from staffroom.core.api.scopes import parse_scopes, scopes_allow
from staffroom.core.ids import ascii_digits
from staffroom.mastodon_api.entities import (
    Account,
    AccountEntity,
    CredentialAccount,
    CredentialAccountEntity,
    account_entities,
    credential_account_entity,
)
from staffroom.posts.api._common import visibility_from
from staffroom.posts.api.schemas import LANGUAGE_FIELD_MAX
from staffroom.posts.posting_defaults import default_language_clean, posting_defaults_update
from staffroom.profiles.professional import privacy_update
from staffroom.profiles.selectors import (
    own_profile,
    profile_get_for_viewer,
    profile_lookup,
    profiles_for_viewer,
)
from staffroom.profiles.services import profile_image_remove, profile_update
from staffroom.search.query import QUERY_FIELD_MAX
from staffroom.search.selectors import search as search_everything

router = Router(tags=["accounts"])
# `/api/v1/profile/avatar` and `/header` (Mastodon 4.2): the own profile's images.
profile_router = Router(tags=["accounts"])


def _require_profile_scope(request: HttpRequest) -> None:
    """verify_credentials accepts `profile` (read only your own profile) or `read:accounts`."""
    granted = parse_scopes(request.auth.scope)  # type: ignore[attr-defined]
    if "profile" not in granted and not scopes_allow(granted, "read:accounts"):
        raise ScopeError("read:accounts")


@router.get(
    "/verify_credentials",
    response=CredentialAccount,
    auth=TokenAuth(None),
    exclude_unset=True,
    summary="The signed-in user's own account (scope profile or read:accounts)",
)
def verify_credentials(request: HttpRequest) -> CredentialAccountEntity:
    _require_profile_scope(request)
    return credential_account_entity(own_profile(request))


class FieldAttribute(Schema):
    name: str = Field("", max_length=10_000)
    value: str = Field("", max_length=10_000)


class SourceIn(Schema):
    """`source[...]`: the posting defaults (Mastodon's words for the visibility)."""

    privacy: str | None = Field(None, max_length=32)
    sensitive: bool | None = None
    language: str | None = Field(None, max_length=LANGUAGE_FIELD_MAX)


class CredentialsIn(Schema):
    """What `PATCH update_credentials` accepts: JSON, a form or multipart (with images).

    Absent parameters leave that part of the profile as it is; `fields_attributes`
    replaces all profile fields (a list, or Rails' `{"0": {...}, "1": {...}}`).
    """

    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    discoverable: bool | None = None
    fields_attributes: list[FieldAttribute] | dict[str, FieldAttribute] | None = None
    avatar: UploadedFile | None = None
    header: UploadedFile | None = None
    source: SourceIn | None = None
    hide_collections: bool | None = None

    @field_validator("avatar", "header", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # Some clients send an empty form value for "no new image".
        return None if value == "" else value

    def fields_list(self) -> list[dict[str, str]] | None:
        attributes = self.fields_attributes
        if attributes is None:
            return None
        if isinstance(attributes, dict):
            # Numeric keys in numeric order ("2" before "10"), any others after them.
            keys = sorted(attributes, key=lambda key: (not ascii_digits(key), len(key), key))
            attributes = [attributes[key] for key in keys]
        return [{"name": item.name, "value": item.value} for item in attributes]


@router.patch(
    "/update_credentials",
    response=CredentialAccount,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Edit the signed-in user's profile",
)
def update_credentials(request: HttpRequest, payload: CredentialsIn) -> CredentialAccountEntity:
    source = payload.source or SourceIn(privacy=None, sensitive=None, language=None)
    # The defaults are checked before the profile is touched, so a wrong word changes nothing.
    visibility = visibility_from(source.privacy, None) if source.privacy else None
    if source.language is not None:
        default_language_clean(source.language)
    profile = profile_update(
        profile=own_profile(request),
        display_name=payload.display_name,
        note=payload.note,
        is_locked=payload.locked,
        is_discoverable=payload.discoverable,
        fields=payload.fields_list(),
        avatar=payload.avatar,
        header=payload.header,
    )
    if payload.hide_collections is not None:
        profile = privacy_update(profile=profile, hide_follows=payload.hide_collections)
    profile = posting_defaults_update(
        profile=profile,
        visibility=visibility,
        sensitive=source.sensitive,
        language=source.language,
    )
    return credential_account_entity(profile)


@router.get(
    "/lookup",
    response=Account,
    exclude_unset=True,
    summary="Find an account by its address (no sign-in needed)",
)
def lookup(request: HttpRequest, acct: str = Query(..., max_length=600)) -> AccountEntity:
    optional_token(request)
    return account_entities([profile_lookup(acct, request.user)], request=request)[0]


@router.get(
    "/search",
    response=list[Account],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Search accounts by handle, address, name, bio, subjects and practices",
    description=(
        "The accounts part of /api/v2/search: discoverable accounts by handle prefix, "
        "display name and the words of their profile; any account by its exact handle. "
        "`following=true` keeps the accounts you follow; `limit` is at most 40."
    ),
)
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=QUERY_FIELD_MAX),
    limit: ClampedInt64 = DEFAULT_LIMIT,
    offset: Offset = 0,
    # `resolve` would shadow an attribute of ninja's query model, hence the alias.
    resolve_remote: bool = Query(False, alias="resolve"),
    following: bool = False,
) -> list[AccountEntity]:
    size, start = page_window(limit, offset)
    found = search_everything(
        own_profile(request),
        q,
        kinds=["accounts"],
        limit=size,
        offset=start,
        resolve=resolve_remote,
        following=following,
    ).accounts
    return account_entities(found, request=request)


@router.get(
    "",
    response=list[Account],
    exclude_unset=True,
    summary="Several accounts by id (`id[]=`; no sign-in needed)",
    description="Accounts the caller may not see, and unknown ids, are left out.",
)
def account_list(request: HttpRequest, query: QueryOf[IdsQuery]) -> list[AccountEntity]:
    optional_token(request)
    return account_entities(profiles_for_viewer(query_ids(query.id), request.user), request=request)


@profile_router.delete(
    "/avatar",
    response=CredentialAccount,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Remove your avatar (the default picture shows again)",
)
def avatar_remove(request: HttpRequest) -> CredentialAccountEntity:
    profile = profile_image_remove(profile=own_profile(request), attribute="avatar")
    return credential_account_entity(profile)


@profile_router.delete(
    "/header",
    response=CredentialAccount,
    auth=TokenAuth("write:accounts"),
    exclude_unset=True,
    summary="Remove your header image",
)
def header_remove(request: HttpRequest) -> CredentialAccountEntity:
    profile = profile_image_remove(profile=own_profile(request), attribute="header")
    return credential_account_entity(profile)


@router.get(
    "/{id}",
    response=Account,
    exclude_unset=True,
    summary="One account by id (no sign-in needed)",
)
def account_detail(request: HttpRequest, id: str) -> AccountEntity:
    optional_token(request)
    return account_entities([profile_get_for_viewer(id, request.user)], request=request)[0]
