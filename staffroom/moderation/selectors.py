"""Reads for moderation: the report queue, one report with the account's history, the audit
log, and what each teacher may read of their own: the reports they filed and the notices
about their account.

Who reads what (SECURITY-PLAN P-8):
- moderators and administrators: reports (with the reporter, the posts as reported and
  the account's earlier reports and actions); nobody else sees a report but its reporter;
- administrators alone: the audit log;
- the reporter: their own reports and whether they were handled, not what was done;
- the person reported: the actions taken on their account, with the moderators' notes,
  never a report or who filed it.
A report id someone may not read answers as an unknown one (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch, QuerySet

from staffroom.accounts.models import ApprovalState, StaffRole, User
from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.graph.selectors import paginate
from staffroom.moderation.models import (
    NOTICE_KINDS,
    ModerationAction,
    Report,
    ReportedPost,
    Rule,
)
from staffroom.moderation.roles import AnyUser, is_moderator, require_admin, require_moderator
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"
HISTORY_MAX = 50


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related(
        "reporter__user", "target__user", "resolved_by"
    ).prefetch_related(
        "rules", Prefetch("posts", queryset=ReportedPost.objects.select_related("status"))
    )


def reports_queue(
    *,
    actor: AnyUser,
    resolved: bool = False,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    target_id: int | None = None,
) -> list[Report]:
    """Open reports (or resolved ones), newest first, for moderators."""
    require_moderator(actor)
    reports = _reports().filter(resolved_at__isnull=not resolved)
    if target_id is not None:
        reports = reports.filter(target_id=target_id)
    return paginate(reports, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)


def open_reports_count(actor: AnyUser) -> int:
    """For the moderators' header badge; 0 for everyone else."""
    if not is_moderator(actor):
        return 0
    return Report.objects.filter(resolved_at__isnull=True).count()


def report_for_moderator(*, actor: AnyUser, report_id: object) -> Report:
    require_moderator(actor)
    report = _reports().filter(pk=id_or_not_found(report_id)).first()
    if report is None:
        raise NotFound(NOT_FOUND)
    return report


@dataclass(frozen=True)
class AccountHistory:
    """What a moderator sees of an account beside a report: its earlier reports and the
    actions already taken on it (newest first), and its posts removed so far."""

    account: Profile
    reports: list[Report]
    actions: list[ModerationAction]
    removed_posts: list[Status]


def account_history(*, actor: AnyUser, account_id: object) -> AccountHistory:
    require_moderator(actor)
    account = Profile.objects.select_related("user").filter(pk=id_or_not_found(account_id)).first()
    if account is None:
        raise NotFound(NOT_FOUND)
    return AccountHistory(
        account=account,
        reports=list(_reports().filter(target=account).order_by("-id")[:HISTORY_MAX]),
        actions=list(
            ModerationAction.objects.filter(target_account=account)
            .select_related("report")
            .order_by("-id")[:HISTORY_MAX]
        ),
        removed_posts=list(
            Status.objects.filter(account=account, removed_at__isnull=False).order_by(
                "-removed_at"
            )[:HISTORY_MAX]
        ),
    )


def audit_log(
    *,
    actor: AnyUser,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    kind: str | None = None,
) -> list[ModerationAction]:
    """Every moderation action, newest first; administrators only."""
    require_admin(actor)
    actions = ModerationAction.objects.select_related("actor", "target_account", "report")
    if kind:
        actions = actions.filter(kind=kind)
    return paginate(actions, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)


def reports_filed_by(
    profile: Profile, *, limit: int = 20, max_id: int | None = None, min_id: int | None = None
) -> list[Report]:
    """The reports a teacher filed, newest first, with their state."""
    reports = (
        Report.objects.filter(reporter=profile).select_related("target").prefetch_related("rules")
    )
    return paginate(reports, limit=limit, max_id=max_id, min_id=min_id)


def report_filed_by(profile: Profile, report_id: object) -> Report:
    """One of the teacher's own reports; another's answers as unknown."""
    report = reports_filed_by_queryset(profile).filter(pk=id_or_not_found(report_id)).first()
    if report is None:
        raise NotFound(NOT_FOUND)
    return report


def reports_filed_by_queryset(profile: Profile) -> QuerySet[Report]:
    return Report.objects.filter(reporter=profile).select_related("target")


def notices_for(
    profile: Profile, *, limit: int = 20, max_id: int | None = None, min_id: int | None = None
) -> list[ModerationAction]:
    """What moderators did to the teacher's account and posts, with their notes, newest
    first. The actor is left out of what the teacher sees (the interfaces show "the
    moderators"), and so is any report behind it."""
    actions = ModerationAction.objects.filter(target_account=profile, kind__in=NOTICE_KINDS)
    return paginate(actions, limit=limit, max_id=max_id, min_id=min_id)


def rules_in_force() -> list[Rule]:
    return list(Rule.objects.filter(deleted_at__isnull=True))


def staff(*, actor: AnyUser) -> list[User]:
    """Moderators and administrators, for the roles page (administrators only)."""
    require_admin(actor)
    return list(
        User.objects.filter(is_active=True)
        .exclude(role="member", is_superuser=False)
        .select_related("profile")
        .order_by("-is_superuser", "role", "email")
    )


ACCOUNT_STATUSES = ("active", "pending", "disabled", "silenced", "suspended")
ROLE_IDS = {"1": "moderator", "2": "admin", "3": "owner"}  # the admin API's Role ids


@dataclass(frozen=True)
class AccountFilter:
    """Mastodon's admin account filters (`/api/v2/admin/accounts`). `origin`: local or
    remote; `status`: one of ACCOUNT_STATUSES; `staff`: moderators, administrators and the
    owner; `role_ids`: Role ids (1 moderator, 2 administrator, 3 owner); `username` and
    `email` match from the start, `display_name` anywhere, `by_domain` exactly (all
    ignoring case). `ip` and `invited_by` match nobody: this server keeps neither sign-in
    addresses nor who invited whom."""

    origin: str | None = None
    status: str | None = None
    staff: bool = False
    role_ids: tuple[str, ...] = ()
    username: str = ""
    display_name: str = ""
    email: str = ""
    by_domain: str = ""
    ip: str = ""
    invited_by: str = ""


def _role_q(role_ids: tuple[str, ...]) -> models.Q:
    roles = [ROLE_IDS[pk] for pk in role_ids if pk in ROLE_IDS]
    wanted = models.Q(pk__in=[])
    if "owner" in roles:
        wanted |= models.Q(user__is_superuser=True)
    staff_roles = [role for role in roles if role != "owner"]
    if staff_roles:
        wanted |= models.Q(user__role__in=staff_roles, user__is_superuser=False)
    return wanted


_STATUS_Q = {
    "active": models.Q(suspended_at__isnull=True),
    "pending": models.Q(user__approval=ApprovalState.PENDING),
    "disabled": models.Q(user__is_active=False, suspended_at__isnull=True),
    "silenced": models.Q(limited_at__isnull=False),
    "suspended": models.Q(suspended_at__isnull=False),
}


def accounts_for_staff(
    *,
    actor: AnyUser,
    filters: AccountFilter,
    limit: int = 100,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Profile]:
    """Accounts matching `filters`, newest first (by account id, as Mastodon pages them),
    their users selected; for moderators only (PermissionDenied otherwise). One query."""
    require_moderator(actor)
    rows = Profile.objects.select_related("user")
    if filters.ip or filters.invited_by:
        return []
    if filters.origin == "local":
        rows = rows.filter(domain="")
    elif filters.origin == "remote":
        rows = rows.exclude(domain="")
    if filters.status:
        rows = rows.filter(_STATUS_Q[filters.status])
    if filters.staff:
        rows = rows.filter(
            models.Q(user__is_superuser=True)
            | models.Q(user__role__in=[StaffRole.MODERATOR, StaffRole.ADMIN])
        )
    if filters.role_ids:
        rows = rows.filter(_role_q(filters.role_ids))
    if filters.username:
        rows = rows.filter(handle__istartswith=filters.username)
    if filters.display_name:
        rows = rows.filter(display_name__icontains=filters.display_name)
    if filters.email:
        rows = rows.filter(user__email__istartswith=filters.email)
    if filters.by_domain:
        rows = rows.filter(domain__iexact=filters.by_domain)
    return paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
