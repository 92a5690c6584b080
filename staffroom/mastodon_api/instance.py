"""The Instance entities (v1 and v2): what a client learns about this server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Never, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape

import staffroom
from staffroom.accounts.models import RegistrationMode
from staffroom.accounts.selectors import site_configuration, weekly_sign_ups_and_sign_ins
from staffroom.core import limits
from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.core.html import render_markdown
from staffroom.core.pln import LearningStyle, Modality, Purpose
from staffroom.moderation.api.entities import RuleEntity, rule_entities
from staffroom.moderation.services import live_rules
from staffroom.posts.selectors import local_posts_per_week
from staffroom.profiles.uris import instance_base_url
from staffroom.profiles.usage import site_usage
from staffroom.push.keys import vapid_public_key

# The Mastodon release whose client API we follow; clients parse the part before the space.
MASTODON_API_VERSION = "4.3.0"
MASTODON_API_VERSIONS = {"mastodon": 2}


class RegistrationsEntity(TypedDict):
    enabled: bool
    approval_required: bool
    invites_enabled: bool
    message: None
    url: str


class RegistrationsV2Entity(TypedDict):
    enabled: bool
    approval_required: bool
    message: None
    url: str


class AccountLimitsEntity(TypedDict):
    max_featured_tags: int
    max_pinned_statuses: int
    max_display_name_length: int
    max_note_length: int
    max_profile_fields: int
    profile_field_name_limit: int
    profile_field_value_limit: int


class StatusLimitsEntity(TypedDict):
    max_characters: int
    max_media_attachments: int
    characters_reserved_per_url: int


class MediaLimitsEntity(TypedDict):
    supported_mime_types: list[str]
    description_limit: int
    image_size_limit: int
    image_matrix_limit: int
    video_size_limit: int
    video_frame_rate_limit: int
    video_matrix_limit: int


class PollLimitsEntity(TypedDict):
    max_options: int
    max_characters_per_option: int
    min_expiration: int
    max_expiration: int


class ConfigurationEntity(TypedDict):
    """The limits a client respects (Instance's `configuration`, v1 and v2 alike)."""

    accounts: AccountLimitsEntity
    statuses: StatusLimitsEntity
    media_attachments: MediaLimitsEntity
    polls: PollLimitsEntity


class ConfigurationUrlsEntity(TypedDict):
    streaming: str
    status: None
    about: str
    privacy_policy: None
    terms_of_service: None


class VapidEntity(TypedDict):
    public_key: str


class TranslationEntity(TypedDict):
    enabled: bool


class ConfigurationV2Entity(ConfigurationEntity):
    urls: ConfigurationUrlsEntity
    vapid: VapidEntity
    translation: TranslationEntity
    limited_federation: bool


class InstancePlnEntity(TypedDict):
    """The PLN vocabulary a client may offer: purposes, modalities, ways of learning."""

    purposes: list[str]
    modalities: list[str]
    learning: list[str]


class ActiveUsersEntity(TypedDict):
    active_month: int


class UsageEntity(TypedDict):
    users: ActiveUsersEntity


class ThumbnailEntity(TypedDict):
    url: str
    blurhash: None


class ContactEntity(TypedDict):
    email: str
    account: None


class InstanceEntity(TypedDict):
    """Mastodon's Instance (v2), plus `pln`."""

    domain: str
    title: str
    version: str
    source_url: str
    description: str
    usage: UsageEntity
    thumbnail: ThumbnailEntity
    icon: list[Never]
    languages: list[str]
    configuration: ConfigurationV2Entity
    registrations: RegistrationsV2Entity
    api_versions: dict[str, int]
    contact: ContactEntity
    rules: list[RuleEntity]
    pln: InstancePlnEntity


class InstanceUrlsV1Entity(TypedDict):
    streaming_api: str


class InstanceStatsEntity(TypedDict):
    user_count: int
    status_count: int
    domain_count: int


class InstanceV1Entity(TypedDict):
    """Mastodon's V1::Instance, plus `pln`."""

    uri: str
    title: str
    short_description: str
    description: str
    email: str
    version: str
    urls: InstanceUrlsV1Entity
    stats: InstanceStatsEntity
    thumbnail: str
    languages: list[str]
    registrations: bool
    approval_required: bool
    invites_enabled: bool
    configuration: ConfigurationEntity
    contact_account: None
    rules: list[RuleEntity]
    pln: InstancePlnEntity


def version_string() -> str:
    return f"{MASTODON_API_VERSION} (compatible; Staffroom {staffroom.__version__})"


def _registrations() -> RegistrationsEntity:
    config = site_configuration()
    mode = config.registration_mode
    return {
        "enabled": mode in {RegistrationMode.OPEN, RegistrationMode.APPROVAL},
        "approval_required": mode == RegistrationMode.APPROVAL,
        "invites_enabled": mode == RegistrationMode.INVITATION,
        "message": None,
        "url": f"{instance_base_url()}/accounts/signup",
    }


def _limits() -> ConfigurationEntity:
    return {
        "accounts": {
            "max_featured_tags": limits.MAX_FEATURED_TAGS,
            "max_pinned_statuses": limits.MAX_PINNED_STATUSES,
            "max_display_name_length": limits.DISPLAY_NAME_MAX,
            "max_note_length": limits.NOTE_MAX,
            "max_profile_fields": limits.PROFILE_FIELDS_MAX,
            "profile_field_name_limit": limits.PROFILE_FIELD_NAME_MAX,
            "profile_field_value_limit": limits.PROFILE_FIELD_VALUE_MAX,
        },
        "statuses": {
            "max_characters": limits.post_characters_max(),
            "max_media_attachments": limits.MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": limits.CHARACTERS_RESERVED_PER_URL,
        },
        "media_attachments": {
            "supported_mime_types": list(limits.ATTACHMENT_MIME_TYPES),
            "description_limit": limits.MEDIA_DESCRIPTION_MAX,
            "image_size_limit": limits.attachment_bytes_max("image"),
            "image_matrix_limit": limits.image_pixels_max(),
            "video_size_limit": limits.attachment_bytes_max("video"),
            "video_frame_rate_limit": limits.VIDEO_FRAME_RATE_MAX,
            "video_matrix_limit": limits.VIDEO_MATRIX_MAX,
        },
        "polls": {
            "max_options": limits.POLL_OPTIONS_MAX,
            "max_characters_per_option": limits.POLL_OPTION_CHARS_MAX,
            "min_expiration": limits.POLL_EXPIRATION_MIN,
            "max_expiration": limits.POLL_EXPIRATION_MAX,
        },
    }


def _pln() -> InstancePlnEntity:
    return {
        "purposes": list(Purpose.values),
        "modalities": list(Modality.values),
        "learning": list(LearningStyle.values),
    }


def instance_rules() -> list[RuleEntity]:
    """The rules in force, in their order, as Mastodon's Rule entities (ids as strings)."""
    return rule_entities(live_rules())


def instance_v2() -> InstanceEntity:
    base = instance_base_url()
    registrations = _registrations()
    configuration: ConfigurationV2Entity = {
        **_limits(),
        "urls": {
            "streaming": f"{base.replace('http', 'ws', 1)}",
            "status": None,
            "about": f"{base}/",
            "privacy_policy": None,
            "terms_of_service": None,
        },
        "vapid": {"public_key": vapid_public_key()},
        "translation": {"enabled": False},
        "limited_federation": False,
    }
    return {
        "domain": settings.STAFFROOM_DOMAIN,
        "title": settings.STAFFROOM_NAME,
        "version": version_string(),
        "source_url": f"{base}/",
        "description": settings.STAFFROOM_DESCRIPTION,
        "usage": {"users": {"active_month": site_usage().active_month}},
        "thumbnail": {"url": f"{base}{static('web/thumbnail.png')}", "blurhash": None},
        "icon": [],
        "languages": [code for code, _name in settings.LANGUAGES],
        "configuration": configuration,
        "registrations": {
            "enabled": registrations["enabled"],
            "approval_required": registrations["approval_required"],
            "message": registrations["message"],
            "url": registrations["url"],
        },
        "api_versions": MASTODON_API_VERSIONS,
        "contact": {"email": settings.STAFFROOM_CONTACT_EMAIL, "account": None},
        "rules": instance_rules(),
        "pln": _pln(),
    }


def instance_v1() -> InstanceV1Entity:
    base = instance_base_url()
    registrations = _registrations()
    usage = site_usage()
    return {
        "uri": settings.STAFFROOM_DOMAIN,
        "title": settings.STAFFROOM_NAME,
        "short_description": settings.STAFFROOM_DESCRIPTION,
        "description": settings.STAFFROOM_DESCRIPTION,
        "email": settings.STAFFROOM_CONTACT_EMAIL,
        "version": version_string(),
        "urls": {"streaming_api": base.replace("http", "ws", 1)},
        "stats": {
            "user_count": usage.users_total,
            "status_count": usage.local_posts,
            "domain_count": usage.known_domains,
        },
        "thumbnail": f"{base}{static('web/thumbnail.png')}",
        "languages": [code for code, _name in settings.LANGUAGES],
        "registrations": registrations["enabled"],
        "approval_required": registrations["approval_required"],
        "invites_enabled": registrations["invites_enabled"],
        "configuration": _limits(),
        "contact_account": None,
        "rules": instance_rules(),
        "pln": _pln(),
    }


# --- The instance sub-routes (activity, texts) ------------------------------------------

ACTIVITY_WEEKS = 12
_ACTIVITY_CACHE_KEY = "mastodon_api:instance-activity"
_ACTIVITY_CACHE_SECONDS = 3600


class ActivityEntity(TypedDict):
    week: str
    statuses: str
    logins: str
    registrations: str


class ExtendedDescriptionEntity(TypedDict):
    updated_at: str
    content: str


class PrivacyPolicyEntity(TypedDict):
    updated_at: str
    content: str


class TermsOfServiceEntity(TypedDict):
    effective_date: str
    effective: bool
    content: str
    succeeded_by: str | None


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _week_starts(now: datetime) -> list[datetime]:
    """The last ACTIVITY_WEEKS weeks (Monday 00:00 UTC), this week first, as Mastodon."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=number) for number in range(ACTIVITY_WEEKS)]


def instance_activity(now: datetime | None = None) -> list[ActivityEntity]:
    """Mastodon's weekly activity, this week first, counts as strings: local posts (no
    reshares), sign-ins (accounts whose latest sign-in falls in the week: exact for this
    week, a floor for older ones) and sign-ups. Cached for an hour (two queries)."""
    if now is None:
        cached = cache.get(_ACTIVITY_CACHE_KEY)
        if isinstance(cached, list):
            return cached
    starts = _week_starts(now or timezone.now())
    posts = local_posts_per_week(starts)
    people = weekly_sign_ups_and_sign_ins(starts)
    activity: list[ActivityEntity] = [
        {
            "week": str(int(start.timestamp())),
            "statuses": str(posts[index]),
            "logins": str(people[index][1]),
            "registrations": str(people[index][0]),
        }
        for index, start in enumerate(starts)
    ]
    if now is None:
        cache.set(_ACTIVITY_CACHE_KEY, activity, _ACTIVITY_CACHE_SECONDS)
    return activity


def instance_extended_description() -> ExtendedDescriptionEntity:
    """The server's description and its rules, as the about page shows them (HTML)."""
    rules = live_rules()
    parts = [f"<p>{escape(settings.STAFFROOM_DESCRIPTION)}</p>"]
    if rules:
        items = "".join(f"<li>{escape(rule.text)}</li>" for rule in rules)
        parts.append(f"<ol>{items}</ol>")
    config = site_configuration()
    updated = max([config.updated_at, *(rule.updated_at for rule in rules)])
    return {"updated_at": _timestamp(updated), "content": "".join(parts)}


def instance_terms_of_service() -> TermsOfServiceEntity:
    """The terms administrators wrote (/moderation/rules), in force since their last
    change; NotFound when there are none, as Mastodon answers then."""
    config = site_configuration()
    if not config.terms.strip():
        raise NotFound(NOT_FOUND)
    return {
        "effective_date": config.updated_at.astimezone(UTC).date().isoformat(),
        "effective": True,
        "content": render_markdown(config.terms),
        "succeeded_by": None,
    }


def instance_privacy_policy() -> PrivacyPolicyEntity:
    """The privacy policy in the Markdown file STAFFROOM_PRIVACY_POLICY_FILE; NotFound when
    none is configured (or the file cannot be read)."""
    name = getattr(settings, "STAFFROOM_PRIVACY_POLICY_FILE", "")
    if not name:
        raise NotFound(NOT_FOUND)
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
        changed = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError as error:
        raise NotFound(NOT_FOUND) from error
    return {"updated_at": _timestamp(changed), "content": render_markdown(text)}
