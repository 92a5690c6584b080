"""The moderation extensions under `/api/v1/pln/`: what Mastodon's admin API has no route
for (removing and restoring single posts, roles, rules and terms, the audit log), and what
a teacher may read of moderation (their own reports, the notices about their account).

Admin routes need the token's scope and the user's role, checked before any id is read.
The teacher routes scope every row to the caller: another teacher's report, or a notice
about someone else, answers 404 exactly like an unknown id."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from staffroom.accounts.selectors import site_configuration
from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import set_link_header
from staffroom.core.exceptions import ValidationFailed
from staffroom.moderation import selectors, services
from staffroom.moderation.api._common import (
    account_for_staff,
    admin_of,
    moderator_of,
    notice_for,
)
from staffroom.moderation.api.entities import (
    AdminAccountEntity,
    AdminRuleEntity,
    AuditEntryEntity,
    ModeratedStatusEntity,
    NoticeEntity,
    OwnReportEntity,
    TermsEntity,
    admin_account_entity,
    admin_rule_entity,
    audit_entry_entity,
    notice_entity,
    own_report_entities,
)
from staffroom.moderation.api.schemas import (
    AdminAccount,
    AdminRule,
    AuditEntry,
    AuditLogQuery,
    ModeratedStatus,
    NoteIn,
    Notice,
    OwnPageQuery,
    OwnReport,
    RoleIn,
    RuleIn,
    Terms,
    TermsIn,
)
from staffroom.moderation.models import ActionKind
from staffroom.posts.entities import mastodon_timestamp
from staffroom.posts.models import Status
from staffroom.profiles.selectors import own_profile

router = Router(tags=["pln moderation"])


def _moderated(status: Status) -> ModeratedStatusEntity:
    return {
        "id": str(status.pk),
        "removed": status.removed_at is not None,
        "removed_at": mastodon_timestamp(status.removed_at) if status.removed_at else None,
        "sensitive": status.sensitive,
    }


# --- Posts (moderators) -------------------------------------------------------------------


@router.post(
    "/admin/statuses/{id}/remove",
    response=ModeratedStatus,
    auth=TokenAuth("admin:write:reports"),
    summary="Remove a post: hidden from everyone, kept for an appeal (moderators)",
)
def admin_status_remove(request: HttpRequest, id: str, payload: NoteIn) -> ModeratedStatusEntity:
    """`text` is the note its author is told; `report_id` resolves that report."""
    moderator = moderator_of(request)
    status = services.status_remove(
        actor=moderator, status_id=id, note=payload.text or "", report_id=payload.report_id
    )
    return _moderated(status)


@router.post(
    "/admin/statuses/{id}/restore",
    response=ModeratedStatus,
    auth=TokenAuth("admin:write:reports"),
    summary="Bring a removed post back (moderators)",
)
def admin_status_restore(request: HttpRequest, id: str, payload: NoteIn) -> ModeratedStatusEntity:
    moderator = moderator_of(request)
    status = services.status_restore(actor=moderator, status_id=id, note=payload.text or "")
    return _moderated(status)


@router.post(
    "/admin/statuses/{id}/sensitive",
    response=ModeratedStatus,
    auth=TokenAuth("admin:write:reports"),
    summary="Mark a post sensitive (moderators)",
)
def admin_status_sensitive(request: HttpRequest, id: str, payload: NoteIn) -> ModeratedStatusEntity:
    moderator = moderator_of(request)
    status = services.status_mark_sensitive(
        actor=moderator, status_id=id, note=payload.text or "", report_id=payload.report_id
    )
    return _moderated(status)


# --- Administrators -----------------------------------------------------------------------


@router.get(
    "/admin/audit_log",
    response=list[AuditEntry],
    auth=TokenAuth("admin:read"),
    summary="Every moderation action, newest first (administrators; Link header)",
)
def admin_audit_log(
    request: HttpRequest, response: HttpResponse, query: Query[AuditLogQuery]
) -> list[AuditEntryEntity]:
    """`kind` narrows to one kind of action (see ActionKind in the docs)."""
    admin = admin_of(request)
    kind = (query.kind or "").strip()
    if kind and kind not in ActionKind.values:
        raise ValidationFailed(
            _("Validation failed: the kind is one of %(names)s")
            % {"names": ", ".join(ActionKind.values)}
        )
    actions = selectors.audit_log(
        actor=admin,
        limit=query.size,
        max_id=query.before,
        since_id=query.since,
        min_id=query.newer,
        kind=kind or None,
    )
    set_link_header(request, response, [action.pk for action in actions])
    return [audit_entry_entity(action) for action in actions]


@router.put(
    "/admin/accounts/{id}/role",
    response=AdminAccount,
    auth=TokenAuth("admin:write:accounts"),
    exclude_unset=True,
    summary="Make a local account a member, moderator or administrator (administrators)",
)
def admin_account_role(request: HttpRequest, id: str, payload: RoleIn) -> AdminAccountEntity:
    admin = admin_of(request)
    services.role_set(actor=admin, account_id=id, role=payload.role.strip().lower())
    return admin_account_entity(account_for_staff(id), request)


@router.get(
    "/admin/rules",
    response=list[AdminRule],
    auth=TokenAuth("admin:read"),
    summary="The rules in force, in order, with their positions (administrators)",
)
def admin_rule_list(request: HttpRequest) -> list[AdminRuleEntity]:
    admin_of(request)
    return [admin_rule_entity(rule) for rule in selectors.rules_in_force()]


@router.post(
    "/admin/rules",
    response=AdminRule,
    auth=TokenAuth("admin:write"),
    summary="Add a rule at the end of the list (administrators)",
)
def admin_rule_create(request: HttpRequest, payload: RuleIn) -> AdminRuleEntity:
    rule = services.rule_create(actor=admin_of(request), text=payload.text, hint=payload.hint or "")
    return admin_rule_entity(rule)


@router.put(
    "/admin/rules/{id}",
    response=AdminRule,
    auth=TokenAuth("admin:write"),
    summary="Change a rule's text, explanation or position (administrators)",
)
def admin_rule_update(request: HttpRequest, id: str, payload: RuleIn) -> AdminRuleEntity:
    rule = services.rule_update(
        actor=admin_of(request),
        rule_id=id,
        text=payload.text,
        hint=payload.hint or "",
        position=payload.position,
    )
    return admin_rule_entity(rule)


@router.delete(
    "/admin/rules/{id}",
    response=dict[str, Any],
    auth=TokenAuth("admin:write"),
    summary="Take a rule down; reports citing it keep it (administrators)",
)
def admin_rule_delete(request: HttpRequest, id: str) -> EmptyEntity:
    services.rule_delete(actor=admin_of(request), rule_id=id)
    return {}


@router.put(
    "/admin/terms",
    response=Terms,
    auth=TokenAuth("admin:write"),
    summary="Set the server's terms (Markdown; administrators)",
)
def admin_terms_update(request: HttpRequest, payload: TermsIn) -> TermsEntity:
    config = services.terms_update(actor=admin_of(request), terms=payload.terms)
    return {"terms": config.terms, "updated_at": mastodon_timestamp(config.updated_at)}


@router.get(
    "/admin/terms",
    response=Terms,
    auth=TokenAuth("admin:read"),
    summary="The server's terms as stored (administrators)",
)
def admin_terms(request: HttpRequest) -> TermsEntity:
    admin_of(request)
    config = site_configuration()
    return {"terms": config.terms, "updated_at": mastodon_timestamp(config.updated_at)}


# --- A teacher's own ----------------------------------------------------------------------


@router.get(
    "/reports",
    response=list[OwnReport],
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="Your reports, newest first: open or handled (Link header)",
)
def own_reports(
    request: HttpRequest, response: HttpResponse, page: Query[OwnPageQuery]
) -> list[OwnReportEntity]:
    """Whether a moderator handled each report, never what was done."""
    reports = selectors.reports_filed_by(
        own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [report.pk for report in reports])
    return own_report_entities(reports, request)


@router.get(
    "/reports/{id}",
    response=OwnReport,
    auth=TokenAuth("read:accounts"),
    exclude_unset=True,
    summary="One of your reports (another's answers 404)",
)
def own_report(request: HttpRequest, id: str) -> OwnReportEntity:
    report = selectors.report_filed_by(own_profile(request), id)
    return own_report_entities([report], request)[0]


@router.get(
    "/moderation/notices",
    response=list[Notice],
    auth=TokenAuth("read:accounts"),
    summary="What moderators did to your account and posts, with their notes (Link header)",
)
def own_notices(
    request: HttpRequest, response: HttpResponse, page: Query[OwnPageQuery]
) -> list[NoticeEntity]:
    """Never who acted, never who reported."""
    actions = selectors.notices_for(
        own_profile(request), limit=page.size, max_id=page.before, min_id=page.after
    )
    set_link_header(request, response, [action.pk for action in actions])
    return [notice_entity(action) for action in actions]


@router.get(
    "/moderation/notices/{id}",
    response=Notice,
    auth=TokenAuth("read:accounts"),
    summary="One notice about your account (any other id answers 404)",
)
def own_notice(request: HttpRequest, id: str) -> NoticeEntity:
    return notice_entity(notice_for(own_profile(request), id))
