"""Mastodon's Notification and grouped notifications (4.3) built from a page of
notifications, in a constant number of queries: the accounts of the page in one batch
(`account_entities`), its posts in another (`status_entities`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

from django.http import HttpRequest

from staffroom.filters.selectors import viewer_filters
from staffroom.mastodon_api.entities import AccountEntity, account_entities
from staffroom.notifications.models import (
    Notification,
    NotificationPolicy,
    NotificationRequest,
    PolicyChoice,
)
from staffroom.notifications.selectors import Group, PolicySummary, grouped
from staffroom.posts.entities import StatusEntity, mastodon_timestamp, status_entities
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile


class NotificationEntity(TypedDict):
    """Mastodon's Notification. `status` only when it is about a post."""

    id: str
    type: str
    group_key: str
    created_at: str
    account: AccountEntity
    status: NotRequired[StatusEntity]


class NotificationGroupEntity(TypedDict):
    """One entry of Mastodon 4.3's grouped notifications."""

    group_key: str
    notifications_count: int
    type: str
    most_recent_notification_id: str
    page_min_id: str
    page_max_id: str
    latest_page_notification_at: str
    sample_account_ids: list[str]
    status_id: str | None


class UnreadCountEntity(TypedDict):
    """Mastodon's unread count (v1 notifications, v2 notification groups)."""

    count: int


class NotificationPreferencesEntity(TypedDict):
    """The kinds a teacher turned off and those they get by e-mail (PLN)."""

    muted_kinds: list[str]
    email_kinds: list[str]


class AwaySummaryEntity(TypedDict):
    """How many notifications of each kind came while the teacher was away (PLN)."""

    kinds: dict[str, int]


class GroupedNotificationsResultsEntity(TypedDict):
    """Mastodon 4.3's GroupedNotificationsResults."""

    accounts: list[AccountEntity]
    statuses: list[StatusEntity]
    notification_groups: list[NotificationGroupEntity]


def account_map(
    profiles: Sequence[Profile], request: HttpRequest | None
) -> dict[int, AccountEntity]:
    unique = list({profile.pk: profile for profile in profiles}.values())
    return {int(entity["id"]): entity for entity in account_entities(unique, request=request)}


def _statuses(
    statuses: Sequence[Status], viewer: Profile, request: HttpRequest | None
) -> dict[int, StatusEntity]:
    unique = list({status.pk: status for status in statuses}.values())
    entities = status_entities(unique, viewer, request, context="notifications")
    return {status.pk: entity for status, entity in zip(unique, entities, strict=True)}


def _about(notification: Notification) -> Status | None:
    """The post a notification is about (as the selectors loaded it), or None."""
    return notification.status if notification.status_id is not None else None


def shown_notifications(
    page: Sequence[Notification], viewer: Profile, request: HttpRequest | None
) -> list[Notification]:
    """`page` less the notifications about posts the viewer's `hide` filters take out."""
    filters = viewer_filters(viewer, request)
    if not filters:
        return list(page)
    posts = [status for status in map(_about, page) if status is not None]
    filters.prepare(posts)
    return [
        notification
        for notification in page
        if (about := _about(notification)) is None or not filters.hides(about, "notifications")
    ]


def notification_entities(
    page: Sequence[Notification],
    viewer: Profile,
    request: HttpRequest | None,
    *,
    hide_filtered: bool = True,
) -> list[NotificationEntity]:
    """Mastodon Notifications for a page. `status` only when it is about a post, as
    Mastodon; a handled report carries nothing beyond its type. `request` None (the
    streaming API) builds the same entities: the viewer's own Account is known from
    `viewer`. A notification about a post a `hide` filter of the viewer's takes out in
    notifications is left out (the caller's Link header still points past it)."""
    if hide_filtered:
        page = shown_notifications(page, viewer, request)
    accounts = account_map([notification.account for notification in page], request)
    posts = [status for status in map(_about, page) if status is not None]
    statuses = _statuses(posts, viewer, request)
    entities = []
    for notification in page:
        entity: NotificationEntity = {
            "id": str(notification.pk),
            "type": notification.kind,
            "group_key": notification.group_key,
            "created_at": mastodon_timestamp(notification.created_at),
            "account": accounts[notification.account_id],
        }
        if notification.status_id is not None:
            entity["status"] = statuses[notification.status_id]
        entities.append(entity)
    return entities


def _group_entity(group: Group) -> NotificationGroupEntity:
    latest = group.latest
    return {
        "group_key": group.key,
        "notifications_count": group.count,
        "type": group.kind,
        "most_recent_notification_id": str(latest.pk),
        "page_min_id": str(group.oldest_id),
        "page_max_id": str(latest.pk),
        "latest_page_notification_at": mastodon_timestamp(latest.created_at),
        "sample_account_ids": [str(profile.pk) for profile in group.sample_accounts],
        "status_id": str(latest.status_id) if latest.status_id is not None else None,
    }


def ungroup_others(page: Sequence[Notification], grouping: set[str]) -> None:
    """Give each notification of a kind outside `grouping` (a client's `grouped_types[]`)
    a group of its own, as Mastodon does. Changes the loaded rows only, never the stored
    ones."""
    for notification in page:
        if notification.kind not in grouping:
            notification.group_key = f"ungrouped-{notification.pk}"


def grouped_results(
    page: Sequence[Notification], viewer: Profile, request: HttpRequest
) -> GroupedNotificationsResultsEntity:
    """Mastodon 4.3's grouped results for a page (newest first): groups in the order each
    first appears, with the accounts and posts they name listed once each."""
    groups = grouped(shown_notifications(page, viewer, request))
    profiles = [profile for group in groups for profile in group.sample_accounts]
    posts = [status for status in (_about(group.latest) for group in groups) if status]
    return {
        "accounts": list(account_map(profiles, request).values()),
        "statuses": list(_statuses(posts, viewer, request).values()),
        "notification_groups": [_group_entity(group) for group in groups],
    }


class NotificationPolicySummaryEntity(TypedDict):
    pending_requests_count: int
    pending_notifications_count: int


class NotificationPolicyV2Entity(TypedDict):
    """Mastodon 4.3's NotificationPolicy."""

    for_not_following: str
    for_not_followers: str
    for_new_accounts: str
    for_private_mentions: str
    for_limited_accounts: str
    summary: NotificationPolicySummaryEntity


class NotificationPolicyV1Entity(TypedDict):
    """Mastodon 4.2's NotificationPolicy (booleans)."""

    filter_not_following: bool
    filter_not_followers: bool
    filter_new_accounts: bool
    filter_private_mentions: bool
    summary: NotificationPolicySummaryEntity


class NotificationRequestEntity(TypedDict):
    """Mastodon 4.3's NotificationRequest."""

    id: str
    created_at: str
    updated_at: str
    account: AccountEntity
    notifications_count: str
    last_status: StatusEntity | None


class MergedEntity(TypedDict):
    merged: bool


def policy_summary_entity(summary: PolicySummary) -> NotificationPolicySummaryEntity:
    return {
        "pending_requests_count": summary.pending_requests_count,
        "pending_notifications_count": summary.pending_notifications_count,
    }


def policy_v2_entity(
    policy: NotificationPolicy, summary: PolicySummary
) -> NotificationPolicyV2Entity:
    return {
        "for_not_following": policy.for_not_following,
        "for_not_followers": policy.for_not_followers,
        "for_new_accounts": policy.for_new_accounts,
        "for_private_mentions": policy.for_private_mentions,
        "for_limited_accounts": policy.for_limited_accounts,
        "summary": policy_summary_entity(summary),
    }


def policy_v1_entity(
    policy: NotificationPolicy, summary: PolicySummary
) -> NotificationPolicyV1Entity:
    return {
        "filter_not_following": policy.for_not_following != PolicyChoice.ACCEPT,
        "filter_not_followers": policy.for_not_followers != PolicyChoice.ACCEPT,
        "filter_new_accounts": policy.for_new_accounts != PolicyChoice.ACCEPT,
        "filter_private_mentions": policy.for_private_mentions != PolicyChoice.ACCEPT,
        "summary": policy_summary_entity(summary),
    }


def request_entities(
    requests: Sequence[NotificationRequest], viewer: Profile, request: HttpRequest | None
) -> list[NotificationRequestEntity]:
    """NotificationRequests for a page, the accounts and latest posts in one batch each
    (`last_status` null when the viewer may no longer see it, as the selectors left it)."""
    accounts = account_map([row.account for row in requests], request)
    posts = [row.last_status for row in requests if row.last_status is not None]
    statuses = _statuses(posts, viewer, request)
    return [
        {
            "id": str(row.pk),
            "created_at": mastodon_timestamp(row.created_at),
            "updated_at": mastodon_timestamp(row.updated_at),
            "account": accounts[row.account_id],
            "notifications_count": str(getattr(row, "notifications_count", 0)),
            "last_status": statuses.get(row.last_status_id) if row.last_status_id else None,
        }
        for row in requests
    ]


def group_results(
    group: Group, viewer: Profile, request: HttpRequest
) -> GroupedNotificationsResultsEntity:
    """Grouped results holding one whole group (`GET /api/v2/notifications/:group_key`)."""
    post = _about(group.latest)
    return {
        "accounts": list(account_map(group.sample_accounts, request).values()),
        "statuses": list(_statuses([post] if post else [], viewer, request).values()),
        "notification_groups": [_group_entity(group)],
    }
