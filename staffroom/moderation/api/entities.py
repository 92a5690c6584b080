"""Wire formats of the moderation API, built from the moderation models.

Who may read what is decided before these run (routes check the role; selectors scope the
rows); these only shape. Lists are built in batches: the accounts of a page of reports in
one pass of `account_entities`, whatever the number of reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Never, TypedDict

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from staffroom.accounts.models import StaffRole, User
from staffroom.mastodon_api.entities import AccountEntity, RoleEntity, account_entities
from staffroom.moderation.models import ActionKind, ModerationAction, Report, ReportedPost, Rule
from staffroom.moderation.roles import OWNER_RANK, role_rank
from staffroom.posts.entities import mastodon_timestamp
from staffroom.posts.visibility_words import MASTODON_VISIBILITY
from staffroom.profiles.models import Profile

# --- Typed entities (what the builders below return) ---------------------------------------


class RuleEntity(TypedDict):
    """Mastodon's Rule."""

    id: str
    text: str
    hint: str


class AdminRuleEntity(RuleEntity):
    position: int
    created_at: str
    updated_at: str


class ReportEntity(TypedDict):
    """Mastodon's Report for its reporter, right after filing it."""

    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    status_ids: list[str]
    rule_ids: list[str]
    target_account: AccountEntity | None


class OwnReportPlnEntity(TypedDict):
    target_acct: str


class OwnReportEntity(TypedDict):
    """A teacher's own report: open or handled, never what was done nor by whom."""

    id: str
    state: str
    category: str
    comment: str
    created_at: str
    status_ids: list[str]
    rule_ids: list[str]
    target_account: AccountEntity | None
    pln: OwnReportPlnEntity


class AdminAccountEntity(TypedDict):
    """Mastodon's Admin::Account."""

    id: str
    username: str
    domain: str | None
    created_at: str
    email: str | None
    ip: str | None
    ips: list[Never]  # sign-in addresses are not kept
    role: RoleEntity | None
    confirmed: bool
    suspended: bool
    silenced: bool
    sensitized: bool
    disabled: bool
    approved: bool
    locale: str | None
    invite_request: str | None
    account: AccountEntity


class ReportedStatusPlnEntity(TypedDict):
    visibility: str
    deleted: bool
    removed: bool


class ReportedStatusEntity(TypedDict):
    """A reported post as it was when reported (Admin::Report's `statuses[]`)."""

    id: str
    created_at: str
    edited_at: str | None
    content: str
    spoiler_text: str
    sensitive: bool
    visibility: str
    media_attachments: list[Never]
    account: AccountEntity | None
    pln: ReportedStatusPlnEntity


class AdminReportEntity(TypedDict):
    """Mastodon's Admin::Report."""

    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    updated_at: str
    account: AdminAccountEntity | None
    target_account: AdminAccountEntity | None
    assigned_account: None
    action_taken_by_account: AdminAccountEntity | None
    statuses: list[ReportedStatusEntity]
    rules: list[RuleEntity]


class ModeratedStatusEntity(TypedDict):
    """A post after a moderator acted on it."""

    id: str
    removed: bool
    removed_at: str | None
    sensitive: bool


class TermsEntity(TypedDict):
    terms: str
    updated_at: str


class HandleEntity(TypedDict):
    id: str | None
    acct: str


class AuditEntryEntity(TypedDict):
    """One audit log entry, for administrators."""

    id: str
    kind: str
    created_at: str
    actor: HandleEntity
    target_account: HandleEntity | None
    target_status_id: str | None
    report_id: str | None
    note: str
    detail: dict[str, Any]  # free-form: what each kind of action recorded


class NoticePostEntity(TypedDict):
    content: str | None
    spoiler_text: str | None
    visibility: str | None
    created_at: str | None


class NoticeEntity(TypedDict):
    """What the person acted on may read about a moderation action."""

    id: str
    kind: str
    summary: str
    created_at: str
    note: str
    status_id: str | None
    post: NoticePostEntity | None


# Mastodon's built-in roles (ids and `UserRole::FLAGS` bits). A moderator here handles
# reports (manage_reports, 1<<4) and accounts (manage_users, 1<<10), and may invite
# (invite_users, 1<<16); administrators and the owner hold `administrator` (1<<0).
_EVERYONE: RoleEntity = {
    "id": "-99",
    "name": "",
    "color": "",
    "permissions": "65536",
    "highlighted": False,
}
_ROLES: dict[str, RoleEntity] = {
    StaffRole.MEMBER: _EVERYONE,
    StaffRole.MODERATOR: {
        "id": "1",
        "name": "Moderator",
        "color": "",
        "permissions": str((1 << 4) | (1 << 10) | (1 << 16)),
        "highlighted": True,
    },
    StaffRole.ADMIN: {
        "id": "2",
        "name": "Admin",
        "color": "",
        "permissions": "1",
        "highlighted": True,
    },
}
_OWNER: RoleEntity = {
    "id": "3",
    "name": "Owner",
    "color": "",
    "permissions": "1",
    "highlighted": True,
}


def _time(value: datetime | None) -> str | None:
    return None if value is None else mastodon_timestamp(value)


def _mastodon_visibility(value: str) -> str:
    return MASTODON_VISIBILITY.get(value, value)  # type: ignore[call-overload, no-any-return]


# --- Rules -------------------------------------------------------------------------------


def rule_entity(rule: Rule) -> RuleEntity:
    """Mastodon's Rule."""
    return {"id": str(rule.pk), "text": rule.text, "hint": rule.hint}


def rule_entities(rules: Iterable[Rule]) -> list[RuleEntity]:
    return [rule_entity(rule) for rule in rules]


def admin_rule_entity(rule: Rule) -> AdminRuleEntity:
    return {
        **rule_entity(rule),
        "position": rule.position,
        "created_at": mastodon_timestamp(rule.created_at),
        "updated_at": mastodon_timestamp(rule.updated_at),
    }


# --- Reports, as their reporter reads them ----------------------------------------------


def _post_ids(report: Report) -> list[str]:
    return [str(post.original_id) for post in report.posts.all()]


def _rule_ids(report: Report) -> list[str]:
    return [str(rule.pk) for rule in report.rules.all()]


def report_entity(report: Report, request: HttpRequest) -> ReportEntity:
    """Mastodon's Report for its reporter, right after filing it."""
    return {
        "id": str(report.pk),
        "action_taken": report.resolved_at is not None,
        "action_taken_at": _time(report.resolved_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forwarded,
        "created_at": mastodon_timestamp(report.created_at),
        "status_ids": _post_ids(report),
        "rule_ids": _rule_ids(report),
        "target_account": account_entities([report.target], request=request)[0]
        if report.target is not None
        else None,
    }


def own_report_entities(reports: Sequence[Report], request: HttpRequest) -> list[OwnReportEntity]:
    """A teacher's own reports: open or handled, never what was done nor by whom."""
    if not reports:
        return []
    prefetch_related_objects(list(reports), "target__user", "posts", "rules")
    accounts = _accounts_by_id(
        [report.target for report in reports if report.target is not None], request
    )
    return [
        {
            "id": str(report.pk),
            "state": "open" if report.is_open else "handled",
            "category": report.category,
            "comment": report.comment,
            "created_at": mastodon_timestamp(report.created_at),
            "status_ids": _post_ids(report),
            "rule_ids": _rule_ids(report),
            "target_account": accounts.get(report.target_id) if report.target_id else None,
            "pln": {"target_acct": report.target_acct},
        }
        for report in reports
    ]


# --- Admin::Account ---------------------------------------------------------------------


def _accounts_by_id(profiles: Sequence[Profile], request: HttpRequest) -> dict[int, AccountEntity]:
    unique = list({profile.pk: profile for profile in profiles}.values())
    return {
        profile.pk: entity
        for profile, entity in zip(unique, account_entities(unique, request=request), strict=True)
    }


def staff_role_entity(user: User) -> RoleEntity:
    """Mastodon's Role for the user's staff role (the owner is Mastodon's Owner)."""
    if role_rank(user) >= OWNER_RANK:
        return _OWNER.copy()
    return _ROLES.get(StaffRole(user.role), _EVERYONE).copy()


def _admin_account(profile: Profile, account: AccountEntity) -> AdminAccountEntity:
    user = profile.user if profile.is_local else None
    suspended = profile.suspended_at is not None
    return {
        "id": str(profile.pk),
        "username": profile.handle,
        "domain": profile.domain or None,
        "created_at": mastodon_timestamp(profile.created_at),
        "email": user.email if user is not None else None,
        "ip": None,
        "ips": [],
        "role": staff_role_entity(user) if user is not None else None,
        "confirmed": user is not None and user.is_email_verified,
        "suspended": suspended,
        "silenced": profile.limited_at is not None,
        "sensitized": False,
        # Sign-in refused for another reason than a suspension (no `disable` action here).
        "disabled": user is not None and not user.is_active and not suspended,
        "approved": user is None or user.is_approved,
        "locale": settings.LANGUAGE_CODE if user is not None else None,
        "invite_request": (user.signup_reason or None) if user is not None else None,
        "account": account,
    }


def admin_account_entities(
    profiles: Sequence[Profile], request: HttpRequest
) -> dict[int, AdminAccountEntity]:
    """Admin::Account for each profile (select their users), by profile id."""
    accounts = _accounts_by_id(profiles, request)
    return {profile.pk: _admin_account(profile, accounts[profile.pk]) for profile in profiles}


def admin_account_entity(profile: Profile, request: HttpRequest) -> AdminAccountEntity:
    return admin_account_entities([profile], request)[profile.pk]


# --- Admin::Report ----------------------------------------------------------------------


def _reported_status(post: ReportedPost, account: AccountEntity | None) -> ReportedStatusEntity:
    status = post.status
    return {
        "id": str(post.original_id),
        "created_at": mastodon_timestamp(post.posted_at),
        "edited_at": _time(post.edited_at),
        "content": post.content,
        "spoiler_text": post.spoiler_text,
        "sensitive": post.sensitive,
        "visibility": _mastodon_visibility(post.visibility),
        "media_attachments": [],
        "account": account,
        "pln": {
            "visibility": post.visibility,
            "deleted": status is None,
            "removed": status is not None and status.removed_at is not None,
        },
    }


def admin_report_entities(
    reports: Sequence[Report], request: HttpRequest
) -> list[AdminReportEntity]:
    """Admin::Report for a page of reports (from `moderation.selectors`, which prefetch the
    posts and rules): every account involved read in one batch."""
    if not reports:
        return []
    wanted = {report.target_id for report in reports if report.target_id is not None}
    wanted |= {report.reporter_id for report in reports if report.reporter_id is not None}
    wanted |= {report.resolved_by_id for report in reports if report.resolved_by_id is not None}
    profiles = Profile.objects.select_related("user").in_bulk(wanted)
    admin_accounts = admin_account_entities(list(profiles.values()), request)

    def account(pk: int | None) -> AdminAccountEntity | None:
        return admin_accounts.get(pk) if pk is not None else None

    entities: list[AdminReportEntity] = []
    for report in reports:
        target = account(report.target_id)
        updated = max(filter(None, [report.created_at, report.resolved_at]))
        entities.append(
            {
                "id": str(report.pk),
                "action_taken": report.resolved_at is not None,
                "action_taken_at": _time(report.resolved_at),
                "category": report.category,
                "comment": report.comment,
                "forwarded": report.forwarded,
                "created_at": mastodon_timestamp(report.created_at),
                "updated_at": mastodon_timestamp(updated),
                "account": account(report.reporter_id),
                "target_account": target,
                "assigned_account": None,
                "action_taken_by_account": account(report.resolved_by_id),
                "statuses": [
                    _reported_status(post, target["account"] if target else None)
                    for post in report.posts.all()
                ],
                "rules": rule_entities(report.rules.all()),
            }
        )
    return entities


def admin_report_entity(report: Report, request: HttpRequest) -> AdminReportEntity:
    return admin_report_entities([report], request)[0]


# --- The audit log and notices ----------------------------------------------------------


def audit_entry_entity(action: ModerationAction) -> AuditEntryEntity:
    """One audit log entry, for administrators: who did what to whom, and why."""
    target: HandleEntity | None = None
    if action.target_account_id is not None or action.target_handle:
        target = {
            "id": str(action.target_account_id) if action.target_account_id else None,
            "acct": action.target_handle,
        }
    return {
        "id": str(action.pk),
        "kind": action.kind,
        "created_at": mastodon_timestamp(action.created_at),
        "actor": {
            "id": str(action.actor_id) if action.actor_id else None,
            "acct": action.actor_handle,
        },
        "target_account": target,
        "target_status_id": str(action.target_status_id) if action.target_status_id else None,
        "report_id": str(action.report_id) if action.report_id else None,
        "note": action.note,
        "detail": action.detail,
    }


def notice_entity(action: ModerationAction) -> NoticeEntity:
    """What the person acted on may read: the kind, the moderators' note and the post as
    it was. Never the actor, the reporter or the report."""
    post = action.detail.get("post") if isinstance(action.detail, dict) else None
    return {
        "id": str(action.pk),
        "kind": action.kind,
        "summary": str(ActionKind(action.kind).label),
        "created_at": mastodon_timestamp(action.created_at),
        "note": action.note,
        "status_id": str(action.target_status_id) if action.target_status_id else None,
        "post": (
            {
                "content": post.get("content"),
                "spoiler_text": post.get("spoiler_text"),
                "visibility": post.get("visibility"),
                "created_at": post.get("created_at"),
            }
            if isinstance(post, dict)
            else None
        ),
    }
