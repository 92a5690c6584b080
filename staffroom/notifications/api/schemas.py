"""Schemas of the notifications API: Mastodon's Notification, its 4.3 grouped results and
unread count, the PLN preferences and away summary, and what the routes accept.

The list routes answer entities they built themselves (`core.api.prebuilt`); these
schemas document them, and tests hold the answers to them."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from staffroom.mastodon_api.entities import Account
from staffroom.posts.api.schemas import Status


class Notification(Schema):
    """Mastodon's Notification. `status` only when it is about a post; a handled report
    (`pln.report_resolved`) says nothing more than its type: never the report, nor who
    handled it (its `account` is the reporter's own)."""

    id: str
    type: str
    group_key: str
    created_at: str
    account: Account
    status: Status | None = Field(None, description="Only when the notification is about a post")


class NotificationGroup(Schema):
    """One entry of Mastodon 4.3's grouped notifications: the notifications of this page
    that share `group_key` (favourites or reshares of one post, a day's new followers)."""

    group_key: str
    notifications_count: int
    type: str
    most_recent_notification_id: str
    page_min_id: str
    page_max_id: str
    latest_page_notification_at: str
    sample_account_ids: list[str]
    status_id: str | None


class GroupedNotificationsResults(Schema):
    """Mastodon 4.3's `/api/v2/notifications` answer: the groups, and once each the
    accounts and posts they refer to (accounts are always full: no `partial_accounts`)."""

    accounts: list[Account]
    statuses: list[Status]
    notification_groups: list[NotificationGroup]


class UnreadCount(Schema):
    count: int


class NotificationsQuery(Schema):
    """Mastodon's filters and id pagination, read leniently as Mastodon reads them: `limit`
    defaults to 40 and is clamped to 80 (0, a sign or junk never fail); a cursor that is
    not a number is ignored; unknown names in `types[]` / `exclude_types[]` are ignored
    (`types[]` of unknown names only finds nothing)."""

    limit: str | None = None
    max_id: str | None = None
    since_id: str | None = None
    min_id: str | None = None
    types: list[str] = Field(default_factory=list)
    exclude_types: list[str] = Field(default_factory=list)
    account_id: str | None = None
    include_filtered: str | None = Field(
        None, description="true: also the notifications your policy put aside"
    )


class GroupedNotificationsQuery(NotificationsQuery):
    """Also `grouped_types[]`: the kinds that may group (favourite, reblog and follow when
    absent). `expand_accounts` is accepted; accounts are always full."""

    grouped_types: list[str] = Field(default_factory=list)
    expand_accounts: str | None = None


class UnreadCountQuery(Schema):
    """`limit` caps the count (default 100, at most 1000, read leniently); `types[]`,
    `exclude_types[]` and `account_id` filter as on the list."""

    limit: str | None = None
    types: list[str] = Field(default_factory=list)
    exclude_types: list[str] = Field(default_factory=list)
    account_id: str | None = None


class GroupedUnreadCountQuery(UnreadCountQuery):
    grouped_types: list[str] = Field(default_factory=list)


class NotificationPreferencesOut(Schema):
    """What a teacher wants to hear about: kinds never written (`muted_kinds`) and kinds
    also sent by e-mail (`email_kinds`)."""

    muted_kinds: list[str]
    email_kinds: list[str]


class NotificationPreferencesIn(Schema):
    """Either list may be left out (unchanged). A blank entry is ignored, so a form can
    clear a list with `muted_kinds[]=`; an unknown kind is a 422 and nothing changes."""

    muted_kinds: list[str] | None = None
    email_kinds: list[str] | None = None


class AwaySummary(Schema):
    """How many notifications of each kind came while the teacher was away."""

    kinds: dict[str, int]


class NotificationPolicySummary(Schema):
    """How many notification requests wait, and how many notifications they hold."""

    pending_requests_count: int
    pending_notifications_count: int


class NotificationPolicyV2(Schema):
    """Mastodon 4.3's NotificationPolicy: per category of sender, `accept` (shown),
    `filter` (put aside under a notification request) or `drop` (never written)."""

    for_not_following: str = Field(description="People you do not follow")
    for_not_followers: str = Field(
        description="People who do not follow you (or began less than 3 days ago)"
    )
    for_new_accounts: str = Field(description="Accounts younger than 30 days")
    for_private_mentions: str = Field(
        description="Private mentions from people you do not follow, unless replying to you"
    )
    for_limited_accounts: str = Field(description="Accounts a moderator limited")
    summary: NotificationPolicySummary


class NotificationPolicyV2In(Schema):
    """Any of the categories, each `accept`, `filter` or `drop`; one left out is
    unchanged; another value is a 422 and nothing changes."""

    for_not_following: str | None = None
    for_not_followers: str | None = None
    for_new_accounts: str | None = None
    for_private_mentions: str | None = None
    for_limited_accounts: str | None = None


class NotificationPolicyV1(Schema):
    """Mastodon 4.2's NotificationPolicy (`/api/v1/notifications/policy`): true where the
    category is not `accept`."""

    filter_not_following: bool
    filter_not_followers: bool
    filter_new_accounts: bool
    filter_private_mentions: bool
    summary: NotificationPolicySummary


class NotificationPolicyV1In(Schema):
    """true sets the category to `filter`, false to `accept`; one left out is unchanged."""

    filter_not_following: bool | None = None
    filter_not_followers: bool | None = None
    filter_new_accounts: bool | None = None
    filter_private_mentions: bool | None = None


class NotificationRequest(Schema):
    """Mastodon 4.3's NotificationRequest: the notifications from one account that your
    policy put aside. `notifications_count` is a string, as Mastodon sends it."""

    id: str
    created_at: str
    updated_at: str
    account: Account
    notifications_count: str
    last_status: Status | None = None


class RequestsQuery(Schema):
    """Id pagination, read leniently as the notification list reads it."""

    limit: str | None = None
    max_id: str | None = None
    since_id: str | None = None
    min_id: str | None = None


class RequestIdsIn(Schema):
    """`id[]=1&id[]=2` (or one `id`): requests not yours or unknown are ignored."""

    id: list[str] | str = Field(default_factory=list)


class Merged(Schema):
    """Whether accepted requests' notifications are in the list yet (always: at once)."""

    merged: bool
