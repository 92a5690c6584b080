"""Mastodon's admin API for reports and accounts: `/api/v1/admin/reports` and
`/api/v1/admin/accounts`.

Each route needs the token's admin scope and a moderator's (or administrator's) role; the
role is checked first (403), then the ids. The actions go through `moderation.services`,
which check ranks (nobody acts on themselves or on an equal or higher rank), write the
audit log and tell the people concerned.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from staffroom.accounts.models import User
from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import set_link_header
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.moderation import selectors, services
from staffroom.moderation.api._common import account_for_staff, moderator_of
from staffroom.moderation.api.entities import (
    AdminAccountEntity,
    AdminReportEntity,
    admin_account_entity,
    admin_report_entities,
    admin_report_entity,
)
from staffroom.moderation.api.schemas import (
    AccountActionIn,
    AdminAccount,
    AdminReport,
    AdminReportsQuery,
    NoteIn,
)
from staffroom.moderation.models import Report
from staffroom.profiles.models import Profile

reports_router = Router(tags=["admin"])
accounts_router = Router(tags=["admin"])

ACTION_TYPES = ("none", "sensitive", "disable", "silence", "suspend")


# --- Reports -----------------------------------------------------------------------------


@reports_router.get(
    "",
    response=list[AdminReport],
    auth=TokenAuth("admin:read:reports"),
    exclude_unset=True,
    summary="The report queue, newest first (moderators; Link header)",
)
def admin_report_list(
    request: HttpRequest, response: HttpResponse, query: Query[AdminReportsQuery]
) -> list[AdminReportEntity]:
    """Open reports unless `resolved=true`; `target_account_id` narrows to one account
    (an id that cannot exist gives an empty page)."""
    moderator = moderator_of(request)
    target_id: int | None = None
    if query.target_account_id not in (None, ""):
        try:
            target_id = id_or_not_found(query.target_account_id)
        except NotFound:
            return []
    reports = selectors.reports_queue(
        actor=moderator,
        resolved=query.resolved,
        limit=query.size,
        max_id=query.before,
        since_id=query.since,
        min_id=query.newer,
        target_id=target_id,
    )
    set_link_header(request, response, [report.pk for report in reports])
    return admin_report_entities(reports, request)


@reports_router.get(
    "/{id}",
    response=AdminReport,
    auth=TokenAuth("admin:read:reports"),
    exclude_unset=True,
    summary="One report, with the posts as they were when reported (moderators)",
)
def admin_report_detail(request: HttpRequest, id: str) -> AdminReportEntity:
    report = selectors.report_for_moderator(actor=moderator_of(request), report_id=id)
    return admin_report_entity(report, request)


@reports_router.post(
    "/{id}/resolve",
    response=AdminReport,
    auth=TokenAuth("admin:write:reports"),
    exclude_unset=True,
    summary="Resolve a report with no action (dismiss; moderators)",
)
def admin_report_resolve(request: HttpRequest, id: str) -> AdminReportEntity:
    moderator = moderator_of(request)
    services.report_dismiss(actor=moderator, report_id=id)
    return admin_report_entity(
        selectors.report_for_moderator(actor=moderator, report_id=id), request
    )


@reports_router.post(
    "/{id}/reopen",
    response=AdminReport,
    auth=TokenAuth("admin:write:reports"),
    exclude_unset=True,
    summary="Reopen a resolved report (moderators)",
)
def admin_report_reopen(request: HttpRequest, id: str) -> AdminReportEntity:
    moderator = moderator_of(request)
    services.report_reopen(actor=moderator, report_id=id)
    return admin_report_entity(
        selectors.report_for_moderator(actor=moderator, report_id=id), request
    )


# --- Accounts ----------------------------------------------------------------------------


@accounts_router.get(
    "/{id}",
    response=AdminAccount,
    auth=TokenAuth("admin:read:accounts"),
    exclude_unset=True,
    summary="One account as moderators see it (e-mail, role, state; moderators)",
)
def admin_account_detail(request: HttpRequest, id: str) -> AdminAccountEntity:
    moderator_of(request)
    return admin_account_entity(account_for_staff(id), request)


def _report_on(moderator: User, report_id: object, profile: Profile) -> Report:
    report = selectors.report_for_moderator(actor=moderator, report_id=report_id)
    if report.target_id != profile.pk:
        raise ValidationFailed(_("Validation failed: the report is about another account"))
    return report


def _mark_reported_posts_sensitive(moderator: User, report: Report, note: str) -> None:
    posts = [post for post in report.posts.all() if post.status_id is not None]
    if not posts:
        raise ValidationFailed(_("Validation failed: the report holds no posts to mark"))
    for post in posts:
        services.status_mark_sensitive(
            actor=moderator, status_id=post.status_id, note=note, report_id=report.pk
        )


@accounts_router.post(
    "/{id}/action",
    response=dict[str, Any],
    auth=TokenAuth("admin:write:accounts"),
    summary="Act on an account: none, sensitive, silence or suspend (moderators)",
)
def admin_account_action(request: HttpRequest, id: str, payload: AccountActionIn) -> EmptyEntity:
    """`none` dismisses `report_id`; `sensitive` marks the posts of `report_id` sensitive;
    `silence` limits the account; `suspend` suspends it (reversibly). `text` is the note the
    person is told. `disable` is not supported (use `suspend`). All or nothing: one refused
    step undoes the others. Answers `{}` as Mastodon does."""
    moderator = moderator_of(request)
    kind = (payload.type or "").strip().lower()
    if kind not in ACTION_TYPES:
        raise ValidationFailed(
            _("Validation failed: the type is one of %(names)s")
            % {"names": ", ".join(ACTION_TYPES)}
        )
    if kind == "disable":
        raise ValidationFailed(_("Validation failed: disable is not supported: use suspend"))
    profile = account_for_staff(id)
    note = payload.text or ""
    has_report = payload.report_id not in (None, "")
    report = _report_on(moderator, payload.report_id, profile) if has_report else None
    if kind in {"none", "sensitive"} and report is None:
        raise ValidationFailed(
            _("Validation failed: %(type)s needs the report_id of a report on this account")
            % {"type": kind}
        )
    with transaction.atomic():
        _act(moderator, kind, profile, report, note)
    return {}


def _act(moderator: User, kind: str, profile: Profile, report: Report | None, note: str) -> None:
    report_id = report.pk if report is not None else None
    if kind == "none":
        services.report_dismiss(actor=moderator, report_id=report_id, note=note)
    elif kind == "sensitive":
        assert report is not None  # noqa: S101 - the route checked it
        _mark_reported_posts_sensitive(moderator, report, note)
    elif kind == "silence":
        services.account_limit(
            actor=moderator, account_id=profile.pk, note=note, report_id=report_id
        )
    else:
        services.account_suspend(
            actor=moderator, account_id=profile.pk, note=note, report_id=report_id
        )


@accounts_router.post(
    "/{id}/unsilence",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Lift an account's limit (moderators)",
)
def admin_account_unsilence(request: HttpRequest, id: str, payload: NoteIn) -> AdminAccountEntity:
    moderator = moderator_of(request)
    profile = services.account_unlimit(actor=moderator, account_id=id, note=payload.text or "")
    return admin_account_entity(account_for_staff(profile.pk), request)


@accounts_router.post(
    "/{id}/unsuspend",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Lift an account's suspension (moderators)",
)
def admin_account_unsuspend(request: HttpRequest, id: str, payload: NoteIn) -> AdminAccountEntity:
    moderator = moderator_of(request)
    profile = services.account_unsuspend(actor=moderator, account_id=id, note=payload.text or "")
    return admin_account_entity(account_for_staff(profile.pk), request)
