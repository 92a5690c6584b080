"""Mastodon entities built from our models (wire formats stay out of the models).

Each entity has two descriptions: a `TypedDict` (`AccountEntity`, ...) that the builders
return, so mypy checks what every route and app receives at no cost at run time (a
TypedDict is a plain dict), and a ninja `Schema` (`Account`, ...) for the OpenAPI document
and the response validation of routes that declare one."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NotRequired, TypedDict

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import escape
from ninja import Schema
from pydantic import Field

from staffroom.core.api.scopes import parse_scopes
from staffroom.core.html import render_markdown
from staffroom.core.images import media_url
from staffroom.emojis.entities import CustomEmojiEntity, emoji_entities_in
from staffroom.graph.selectors import FollowCounts, follow_counts
from staffroom.oauth.models import OAuthApplication
from staffroom.posts.posting_defaults import posting_defaults
from staffroom.posts.selectors import status_counts_for
from staffroom.posts.visibility_words import MASTODON_VISIBILITY
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import profile_terms, terms_load
from staffroom.profiles.stats import stats_of
from staffroom.profiles.uris import instance_base_url
from staffroom.push.keys import vapid_public_key

# --- Typed entities (what the builders below return) ---------------------------------------


class ApplicationEntity(TypedDict):
    """Mastodon's Application; the credentials only right after registration."""

    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str
    client_id: NotRequired[str]
    client_secret: NotRequired[str]
    client_secret_expires_at: NotRequired[int]


class FieldEntity(TypedDict):
    """Mastodon's Field: a profile's name and value (`value` is HTML in an Account)."""

    name: str
    value: str
    verified_at: str | None


class RoleBadgeEntity(TypedDict):
    """A highlighted role shown on a profile (Mastodon's `Account.roles[]`)."""

    id: str
    name: str
    color: str


class RoleEntity(RoleBadgeEntity):
    """Mastodon's Role of the signed-in user; `permissions` is a bit mask as a string."""

    permissions: str
    highlighted: bool


class PlnGoalsEntity(TypedDict):
    purposes: list[str]
    interaction: str | None
    learning: list[str]


class AccountPlnEntity(TypedDict):
    """The PLN extension of an account; `goals` only when the viewer is the owner."""

    role: str | None
    subjects: list[str]
    grades: list[str]
    grade_bands: list[str]
    practices: list[str]
    tags: list[str]
    experience_years: int | None
    mentorship: str | None
    away: bool
    goals: NotRequired[PlnGoalsEntity]


class AccountEntity(TypedDict):
    """Mastodon 4.3's Account, plus `pln`."""

    id: str
    username: str
    acct: str
    url: str
    uri: str
    display_name: str
    note: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    locked: bool
    fields: list[FieldEntity]
    emojis: list[CustomEmojiEntity]
    bot: bool
    group: bool
    discoverable: bool | None
    indexable: bool
    noindex: bool
    hide_collections: bool
    roles: list[RoleBadgeEntity]
    created_at: str
    last_status_at: str | None
    statuses_count: int
    followers_count: int
    following_count: int
    pln: AccountPlnEntity


class AccountSourceEntity(TypedDict):
    privacy: str
    sensitive: bool
    language: str
    note: str
    fields: list[FieldEntity]
    follow_requests_count: int
    discoverable: bool | None
    indexable: bool
    hide_collections: bool


class CredentialAccountEntity(AccountEntity):
    """The signed-in user's own Account: `source` (raw values for editing) and `role`."""

    source: AccountSourceEntity
    role: RoleEntity


def application_entity(
    app: OAuthApplication, *, client_secret: str | None = None
) -> ApplicationEntity:
    """Mastodon's Application; the credentials only right after registration."""
    uris = app.redirect_uri_list()
    entity: ApplicationEntity = {
        "id": str(app.pk),
        "name": app.name,
        "website": app.website or None,
        "scopes": parse_scopes(app.scopes),
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": vapid_public_key(),
    }
    if client_secret is not None:
        entity["client_id"] = app.client_id
        entity["client_secret"] = client_secret
        entity["client_secret_expires_at"] = 0
    return entity


# --- Account -----------------------------------------------------------------------------


class AccountField(Schema):
    name: str
    value: str = Field(description="HTML")
    verified_at: str | None


class CustomEmoji(Schema):
    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool
    category: str | None = None


class AccountRoleBadge(Schema):
    """A highlighted role shown on the profile (Mastodon's `Account.roles[]`)."""

    id: str
    name: str
    color: str


class PlnGoals(Schema):
    purposes: list[str]
    interaction: str | None
    learning: list[str]


class AccountPln(Schema):
    """The PLN extension of an account; `goals` only when the viewer is the owner."""

    role: str | None
    subjects: list[str]
    grades: list[str]
    grade_bands: list[str]
    practices: list[str]
    tags: list[str]
    experience_years: int | None
    mentorship: str | None
    away: bool
    goals: PlnGoals | None = None


class Account(Schema):
    """Mastodon 4.3's Account, plus `pln`."""

    id: str
    username: str
    acct: str
    url: str
    uri: str
    display_name: str
    note: str = Field(description="HTML")
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    locked: bool
    fields: list[AccountField]
    emojis: list[CustomEmoji]
    bot: bool
    group: bool
    discoverable: bool | None
    indexable: bool
    noindex: bool
    hide_collections: bool
    roles: list[AccountRoleBadge]
    created_at: str
    last_status_at: str | None
    statuses_count: int
    followers_count: int
    following_count: int
    pln: AccountPln


class AccountSource(Schema):
    privacy: str
    sensitive: bool
    language: str
    note: str
    fields: list[AccountField]
    follow_requests_count: int
    discoverable: bool | None
    indexable: bool
    hide_collections: bool


class Role(Schema):
    """Mastodon 4.x's Role of the signed-in user; `permissions` is a bit mask as a string."""

    id: str
    name: str
    color: str
    permissions: str
    highlighted: bool


class CredentialAccount(Account):
    """The signed-in user's own Account: `source` (raw values for editing) and `role`."""

    source: AccountSource
    role: Role


# Mastodon's role ids and permission bits (`UserRole::FLAGS`): the built-in "everyone" role
# is -99; `administrator` (bit 0) allows everything.
_EVERYONE_ROLE: RoleEntity = {
    "id": "-99",
    "name": "",
    "color": "",
    "permissions": "65536",
    "highlighted": False,
}
_ADMIN_ROLE: RoleEntity = {
    "id": "2",
    "name": "Admin",
    "color": "",
    "permissions": "1",
    "highlighted": True,
}
_OWNER_ROLE: RoleEntity = {
    "id": "3",
    "name": "Owner",
    "color": "",
    "permissions": "1",
    "highlighted": True,
}
DEFAULT_AVATAR = "web/default-avatar.png"
DEFAULT_HEADER = "web/default-header.png"


def _absolute(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else instance_base_url() + url


@functools.lru_cache(maxsize=16)
def _default_image_url(default: str, static_url: str, base_url: str) -> str:
    """A default avatar or header: the static files manifest is read once, not per account
    (the arguments other than `default` key the cache to the settings they depend on)."""
    url = static(default)
    return url if url.startswith(("https://", "http://")) else base_url + url


def _image_url(name: str, default: str) -> str:
    if name:
        return _absolute(media_url(name))
    return _default_image_url(default, settings.STATIC_URL, instance_base_url())


def _mastodon_date(value: datetime) -> str:
    """Mastodon gives an account's creation as the day, at midnight UTC."""
    return f"{value.astimezone(UTC).date().isoformat()}T00:00:00.000Z"


def note_html(profile: Profile) -> str:
    """The bio as HTML: the Markdown subset rendered and sanitized when it was saved."""
    if profile.note and not profile.note_html:  # rows from before the bio was rendered
        return render_markdown(profile.note)
    return profile.note_html


def _fields_html(fields: list[dict[str, str]]) -> list[FieldEntity]:
    return [
        {"name": item["name"], "value": escape(item["value"]), "verified_at": None}
        for item in fields
    ]


def _account_emojis(profile: Profile) -> list[CustomEmojiEntity]:
    """This server's emojis in a local account's name, bio and fields (a remote account's
    `:shortcode:`s are its own server's, which we do not know)."""
    if not profile.is_local:
        return []
    texts = [profile.display_name, profile.note]
    texts += [text for item in profile.fields for text in (item["name"], item["value"])]
    return emoji_entities_in(texts)


def _role(profile: Profile) -> RoleEntity:
    user = profile.user
    if user is not None and user.is_superuser:
        return _OWNER_ROLE
    if user is not None and user.is_staff:
        return _ADMIN_ROLE
    return _EVERYONE_ROLE


def _is_owner(profile: Profile, request: HttpRequest | None) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and profile.user_id == user.pk)


def account_pln(profile: Profile, *, owner: bool) -> AccountPlnEntity:
    """The `pln` object of an account: exactly DESIGN.md's keys; `goals` for the owner only."""
    terms = profile_terms(profile)
    extension: AccountPlnEntity = {
        "role": profile.role or None,
        "subjects": terms["subject"],
        "grades": terms["grade"],
        "grade_bands": taxonomy.bands_of(terms["grade"]),
        "practices": terms["practice"],
        "tags": terms["tag"],
        "experience_years": profile.experience_years,
        "mentorship": profile.mentorship or None,
        "away": profile.is_away,
    }
    if owner:
        extension["goals"] = {
            "purposes": list(profile.goal_purposes),
            "interaction": profile.interaction_style or None,
            "learning": list(profile.learning_styles),
        }
    return extension


def _last_status_day(value: datetime | None) -> str | None:
    """Mastodon gives `last_status_at` as a day (`2024-05-01`), never a time."""
    return None if value is None else value.astimezone(UTC).date().isoformat()


def account_entity(
    profile: Profile,
    *,
    request: HttpRequest | None = None,
    counts: FollowCounts | None = None,
    statuses: tuple[int, datetime | None] = (0, None),
) -> AccountEntity:
    """Mastodon's Account for `profile`, as `request`'s viewer sees it.

    `pln.goals` only when the viewer owns the profile. Reads `profile.user` (select it
    along with the profile when building many). URLs are absolute, on the instance's domain.
    `followers_count` / `following_count` come from `counts` (see `account_entities`, which
    fetches them for a whole page in two queries); without it they are 0 and no query is
    made, so a caller building a list never pays a query per account. `statuses` is
    `(statuses_count, last_status_at)` from `posts.selectors.status_counts_for`, batched
    the same way.
    """
    counts = counts or FollowCounts()
    role = _role(profile)
    return {
        "id": str(profile.pk),
        "username": profile.handle,
        "acct": profile.acct,
        "url": f"{instance_base_url()}/@{profile.handle}" if profile.is_local else profile.uri,
        "uri": profile.uri,
        "display_name": profile.display_name,
        "note": note_html(profile),
        "avatar": _image_url(profile.avatar, DEFAULT_AVATAR),
        "avatar_static": _image_url(profile.avatar, DEFAULT_AVATAR),
        "header": _image_url(profile.header, DEFAULT_HEADER),
        "header_static": _image_url(profile.header, DEFAULT_HEADER),
        "locked": profile.is_locked,
        "fields": _fields_html(profile.fields),
        "emojis": _account_emojis(profile),
        "bot": False,
        "group": False,
        "discoverable": profile.is_discoverable,
        "indexable": profile.is_discoverable,
        "noindex": not profile.is_discoverable,
        "hide_collections": profile.hide_follows,
        "roles": [{"id": role["id"], "name": role["name"], "color": role["color"]}]
        if role["highlighted"]
        else [],
        "created_at": _mastodon_date(profile.created_at),
        "last_status_at": _last_status_day(statuses[1]),
        "statuses_count": statuses[0],
        "followers_count": counts.followers_count,
        "following_count": counts.following_count,
        "pln": account_pln(profile, owner=_is_owner(profile, request)),
    }


def account_entities(
    profiles: Sequence[Profile], *, request: HttpRequest | None = None
) -> list[AccountEntity]:
    """Accounts for a page of profiles with exact follower, following and status counts:
    the counters in one read of `ProfileStats` and the profiles' terms in one (each skipped
    where already loaded with the profiles), whatever the number of profiles. Reads
    `profile.user` as account_entity."""
    if not profiles:
        return []
    terms_load(profiles)
    stats = stats_of(profiles)
    return [
        account_entity(
            profile,
            request=request,
            counts=FollowCounts(
                stats[profile.pk].followers_count, stats[profile.pk].following_count
            ),
            statuses=(stats[profile.pk].statuses_count, stats[profile.pk].last_status_at),
        )
        for profile in profiles
    ]


def credential_account_entity(profile: Profile) -> CredentialAccountEntity:
    """The owner's own Account (verify_credentials, update_credentials): `source` holds the
    raw bio and fields for editing, `role` the user's role, `pln.goals` is included, and the
    follower, following and status counts (three queries)."""
    entity = account_entity(
        profile,
        counts=follow_counts([profile.pk])[profile.pk],
        statuses=status_counts_for([profile.pk]).get(profile.pk, (0, None)),
    )
    defaults = posting_defaults(profile)
    source: AccountSourceEntity = {
        "privacy": MASTODON_VISIBILITY[defaults.visibility],
        "sensitive": defaults.sensitive,
        "language": defaults.language,
        "note": profile.note,
        "fields": [
            {"name": item["name"], "value": item["value"], "verified_at": None}
            for item in profile.fields
        ],
        "follow_requests_count": 0,
        "discoverable": profile.is_discoverable,
        "indexable": profile.is_discoverable,
        "hide_collections": profile.hide_follows,
    }
    return {
        **entity,
        "pln": account_pln(profile, owner=True),
        "source": source,
        "role": _role(profile).copy(),
    }
