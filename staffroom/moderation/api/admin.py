"""Mastodon's admin API for reports and accounts: `/api/v1/admin/reports` and
`/api/v1/admin/accounts`.

Each route needs the token's admin scope and a moderator's (or administrator's) role; the
role is checked first (403), then the ids. The actions go through `moderation.services`,
which check ranks (nobody acts on themselves or on an equal or higher rank), write the
audit log and tell the people concerned.
"""

from __future__ import annotations

import ipaddress
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
    admin_account_entities,
    admin_account_entity,
    admin_report_entities,
    admin_report_entity,
)
from staffroom.moderation.api.schemas import (
    AccountActionIn,
    AdminAccount,
    AdminAccountsV1Query,
    AdminAccountsV2Query,
    AdminReport,
    AdminReportsQuery,
    NoteIn,
)
from staffroom.moderation.models import Report
from staffroom.profiles.models import Profile

reports_router = Router(tags=["admin"])
accounts_router = Router(tags=["admin"])
accounts_v2_router = Router(tags=["admin"])

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


def _checked_ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError as error:
        raise ValidationFailed(_("Validation failed: ip is not an IP address")) from error
    return value.strip()


def _account_page(
    request: HttpRequest,
    response: HttpResponse,
    moderator: User,
    filters: selectors.AccountFilter,
    query: AdminAccountsV1Query | AdminAccountsV2Query,
) -> list[AdminAccountEntity]:
    profiles = selectors.accounts_for_staff(
        actor=moderator,
        filters=filters,
        limit=query.size,
        max_id=query.before,
        since_id=query.since,
        min_id=query.newer,
    )
    set_link_header(request, response, [profile.pk for profile in profiles])
    entities = admin_account_entities(profiles, request)
    return [entities[profile.pk] for profile in profiles]


@accounts_router.get(
    "",
    response=list[AdminAccount],
    auth=TokenAuth("admin:read:accounts"),
    exclude_unset=True,
    summary="Accounts as moderators see them, newest first (v1 filters; Link header)",
)
def admin_account_list(
    request: HttpRequest, response: HttpResponse, query: Query[AdminAccountsV1Query]
) -> list[AdminAccountEntity]:
    """Local accounts unless `remote`; the first of `active`, `pending`, `disabled`,
    `silenced`, `suspended` given narrows the state; `staff`; `username`, `display_name`,
    `email`, `by_domain`; `ip` (kept by no account here: an empty page). `sensitized`
    gives an empty page: no account is forced sensitive."""
    moderator = moderator_of(request)
    if query.sensitized:
        return []
    status = next((name for name in selectors.ACCOUNT_STATUSES if getattr(query, name)), None)
    filters = selectors.AccountFilter(
        origin="remote" if query.remote else "local",
        status=status,
        staff=query.staff,
        username=(query.username or "").strip(),
        display_name=(query.display_name or "").strip(),
        email=(query.email or "").strip(),
        by_domain=(query.by_domain or "").strip(),
        ip=_checked_ip(query.ip),
    )
    return _account_page(request, response, moderator, filters, query)


def _one_of(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    word = (value or "").strip().lower() or None
    if word is not None and word not in allowed:
        raise ValidationFailed(
            _("Validation failed: %(name)s is one of %(names)s")
            % {"name": name, "names": ", ".join(allowed)}
        )
    return word


@accounts_v2_router.get(
    "",
    response=list[AdminAccount],
    auth=TokenAuth("admin:read:accounts"),
    exclude_unset=True,
    summary="Accounts as moderators see them, newest first (v2 filters; Link header)",
)
def admin_account_list_v2(
    request: HttpRequest, response: HttpResponse, query: Query[AdminAccountsV2Query]
) -> list[AdminAccountEntity]:
    """`origin` (local, remote), `status` (active, pending, disabled, silenced,
    suspended), `permissions=staff`, `role_ids[]` (1 moderator, 2 administrator, 3 owner),
    `username`, `display_name`, `email`, `by_domain`; `ip` and `invited_by` match no
    account (neither is kept here). An unknown word is a 422."""
    moderator = moderator_of(request)
    filters = selectors.AccountFilter(
        origin=_one_of(query.origin, ("local", "remote"), "origin"),
        status=_one_of(query.status, selectors.ACCOUNT_STATUSES, "status"),
        staff=_one_of(query.permissions, ("staff",), "permissions") == "staff",
        role_ids=tuple(str(pk).strip() for pk in query.role_ids),
        username=(query.username or "").strip(),
        display_name=(query.display_name or "").strip(),
        email=(query.email or "").strip(),
        by_domain=(query.by_domain or "").strip(),
        ip=_checked_ip(query.ip),
        invited_by=(query.invited_by or "").strip(),
    )
    return _account_page(request, response, moderator, filters, query)


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


@accounts_router.post(
    "/{id}/approve",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Approve a pending sign-up (administrators; the person is e-mailed)",
)
def admin_account_approve(request: HttpRequest, id: str) -> AdminAccountEntity:
    """403 for a moderator (administrators approve sign-ups, as on the web) and for an
    account that is not waiting for approval, as Mastodon."""
    profile = services.sign_up_approve(actor=moderator_of(request), account_id=id)
    return admin_account_entity(profile, request)


@accounts_router.post(
    "/{id}/reject",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Turn down a pending sign-up (administrators)",
)
def admin_account_reject(request: HttpRequest, id: str) -> AdminAccountEntity:
    """The account is kept, unable to sign in (Mastodon deletes it); 403 as approve."""
    profile = services.sign_up_reject(actor=moderator_of(request), account_id=id)
    return admin_account_entity(profile, request)


@accounts_router.post(
    "/{id}/enable",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Re-enable sign-in (moderators; a no-op: there is no disable action here)",
)
def admin_account_enable(request: HttpRequest, id: str) -> AdminAccountEntity:
    """Moderators never disable sign-in here (they suspend), so there is nothing to undo:
    an account that is not `disabled` is answered unchanged; one that is (a turned-down
    sign-up, a teacher who left) is a 422, since this route must not let them back in."""
    moderator_of(request)
    entity = admin_account_entity(account_for_staff(id), request)
    if entity["disabled"]:
        raise ValidationFailed(
            _("Validation failed: this account cannot sign in for a reason enable cannot lift")
        )
    return entity


@accounts_router.post(
    "/{id}/unsensitive",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Stop forcing an account's media sensitive (moderators; always a no-op here)",
)
def admin_account_unsensitive(request: HttpRequest, id: str) -> AdminAccountEntity:
    """No account is ever forced sensitive here (`sensitized` is always false)."""
    moderator_of(request)
    return admin_account_entity(account_for_staff(id), request)
