"""Schemas of the moderation API: Mastodon's Rule, Report, Admin::Report and Admin::Account,
the PLN extras (audit log, a teacher's own reports and notices, rules for administrators),
and what the write routes accept. Text fields are bounded far above the domain's limits so
the services answer the exact "at most N characters" message."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

from staffroom.core.api.numbers import ClampedInt64, Int64
from staffroom.core.api.pagination import PageQuery
from staffroom.mastodon_api.entities import Account

TEXT_FIELD_MAX = 100_000
WORD_FIELD_MAX = 64
ADMIN_REPORTS_LIMIT_DEFAULT = 100
ADMIN_REPORTS_LIMIT_MAX = 200
AUDIT_LOG_LIMIT_DEFAULT = 40
OWN_LIMIT_DEFAULT = 20
OWN_LIMIT_MAX = 80

IdValue = str | int


# --- Output ------------------------------------------------------------------------------


class Rule(Schema):
    """Mastodon's Rule (ids as strings)."""

    id: str
    text: str
    hint: str


class AdminRule(Rule):
    """A rule as administrators manage it: its place in the list and its times."""

    position: int
    created_at: str
    updated_at: str


class Report(Schema):
    """Mastodon's Report, as its reporter gets it back."""

    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    status_ids: list[str] | None
    rule_ids: list[str] | None
    target_account: Account


class AdminRole(Schema):
    """Mastodon's Role of an account (`permissions` is a bit mask as a string)."""

    id: str
    name: str
    color: str
    permissions: str
    highlighted: bool


class AdminAccount(Schema):
    """Mastodon's Admin::Account. `email` only for accounts on this server."""

    id: str
    username: str
    domain: str | None
    created_at: str
    email: str | None
    ip: str | None
    ips: list[dict[str, Any]]
    role: AdminRole | None
    confirmed: bool
    suspended: bool
    silenced: bool
    sensitized: bool
    disabled: bool
    approved: bool
    locale: str | None
    invite_request: str | None
    account: Account


class ReportedStatusPln(Schema):
    """Our visibility word, and what became of the post since it was reported."""

    visibility: str
    deleted: bool
    removed: bool


class ReportedStatus(Schema):
    """A reported post as it was when reported (not Mastodon's whole Status: the snapshot
    keeps what the reporter saw)."""

    id: str
    created_at: str
    edited_at: str | None
    content: str = Field(description="HTML, as it was when reported")
    spoiler_text: str
    sensitive: bool
    visibility: str
    media_attachments: list[dict[str, Any]]
    account: Account | None = Field(None, description="Null once the account is deleted")
    pln: ReportedStatusPln


class AdminReport(Schema):
    """Mastodon's Admin::Report. `action_taken` is true once the report is resolved
    (dismissed or acted on), as Mastodon's is."""

    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    updated_at: str
    account: AdminAccount | None
    target_account: AdminAccount | None = Field(
        None, description="Null once the reported account is deleted; the report stays"
    )
    assigned_account: AdminAccount | None
    action_taken_by_account: AdminAccount | None
    statuses: list[ReportedStatus]
    rules: list[Rule]


class ModeratedStatus(Schema):
    """A post's moderation state after a PLN status action."""

    id: str
    removed: bool
    removed_at: str | None
    sensitive: bool


class Handle(Schema):
    id: str | None
    acct: str


class AuditEntry(Schema):
    id: str
    kind: str
    created_at: str
    actor: Handle
    target_account: Handle | None
    target_status_id: str | None
    report_id: str | None
    note: str
    detail: dict[str, Any]


class NoticePost(Schema):
    """The post as it was when the moderators acted (kept for removed posts)."""

    content: str | None = None
    spoiler_text: str | None = None
    visibility: str | None = None
    created_at: str | None = None


class Notice(Schema):
    """What moderators did to the teacher's account or posts: never who, never a report."""

    id: str
    kind: str
    summary: str
    created_at: str
    note: str
    status_id: str | None
    post: NoticePost | None


class OwnReportPln(Schema):
    target_acct: str = Field(description="Who was reported, also after their account is gone")


class OwnReport(Schema):
    """One of the teacher's own reports: its state, never what was done."""

    id: str
    state: str
    category: str
    comment: str
    created_at: str
    status_ids: list[str]
    rule_ids: list[str]
    target_account: Account | None = Field(
        None, description="Null once the reported account is deleted (see `pln.target_acct`)"
    )
    pln: OwnReportPln


class Terms(Schema):
    terms: str
    updated_at: str


# --- Input -------------------------------------------------------------------------------


class ReportIn(Schema):
    """What `POST /api/v1/reports` accepts (JSON, a form or multipart)."""

    account_id: IdValue
    status_ids: list[IdValue] = Field(default_factory=list)
    rule_ids: list[IdValue] = Field(default_factory=list)
    comment: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    forward: bool = False
    category: str | None = Field(None, max_length=WORD_FIELD_MAX)


class NoteIn(Schema):
    """A moderator's note to the person acted on (`text`), and the report it answers."""

    text: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    report_id: IdValue | None = None


class AccountActionIn(NoteIn):
    """Mastodon's `POST /api/v1/admin/accounts/:id/action`."""

    type: str = Field("none", max_length=WORD_FIELD_MAX)
    send_email_notification: bool | None = None
    warning_preset_id: IdValue | None = None


class RoleIn(Schema):
    role: str = Field(..., max_length=WORD_FIELD_MAX)


class RuleIn(Schema):
    text: str = Field(..., max_length=TEXT_FIELD_MAX)
    hint: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    position: Int64 | None = None


class TermsIn(Schema):
    terms: str = Field(..., max_length=TEXT_FIELD_MAX)


# --- Queries -----------------------------------------------------------------------------


class AdminReportsQuery(PageQuery):
    """Mastodon's report queue filters: unresolved unless `resolved=true`; `limit`
    defaults to 100 and is clamped to 200 (and to the pagination's page size)."""

    limit: ClampedInt64 = ADMIN_REPORTS_LIMIT_DEFAULT
    resolved: bool = False
    target_account_id: str | None = Field(None, max_length=WORD_FIELD_MAX)

    @property
    def size(self) -> int:
        return min(abs(self.limit) or ADMIN_REPORTS_LIMIT_DEFAULT, ADMIN_REPORTS_LIMIT_MAX)


class AuditLogQuery(PageQuery):
    limit: ClampedInt64 = AUDIT_LOG_LIMIT_DEFAULT
    kind: str | None = Field(None, max_length=WORD_FIELD_MAX)

    @property
    def size(self) -> int:
        return min(abs(self.limit) or AUDIT_LOG_LIMIT_DEFAULT, OWN_LIMIT_MAX)


class OwnPageQuery(PageQuery):
    limit: ClampedInt64 = OWN_LIMIT_DEFAULT

    @property
    def size(self) -> int:
        return min(abs(self.limit) or OWN_LIMIT_DEFAULT, OWN_LIMIT_MAX)


ADMIN_ACCOUNTS_LIMIT_DEFAULT = 100
ADMIN_ACCOUNTS_LIMIT_MAX = 200
SEARCH_FIELD_MAX = 320


class _AdminAccountsQuery(PageQuery):
    limit: ClampedInt64 = ADMIN_ACCOUNTS_LIMIT_DEFAULT
    by_domain: str | None = Field(None, max_length=SEARCH_FIELD_MAX)
    username: str | None = Field(None, max_length=SEARCH_FIELD_MAX)
    display_name: str | None = Field(None, max_length=SEARCH_FIELD_MAX)
    email: str | None = Field(None, max_length=SEARCH_FIELD_MAX)
    ip: str | None = Field(None, max_length=WORD_FIELD_MAX)

    @property
    def size(self) -> int:
        return min(abs(self.limit) or ADMIN_ACCOUNTS_LIMIT_DEFAULT, ADMIN_ACCOUNTS_LIMIT_MAX)


class AdminAccountsV1Query(_AdminAccountsQuery):
    """Mastodon's v1 filters: `local` (the default) or `remote`; one of `active`,
    `pending`, `disabled`, `silenced`, `suspended` (`sensitized` matches nobody: accounts
    are never forced sensitive here); `staff`."""

    local: bool = False
    remote: bool = False
    active: bool = False
    pending: bool = False
    disabled: bool = False
    sensitized: bool = False
    silenced: bool = False
    suspended: bool = False
    staff: bool = False


class AdminAccountsV2Query(_AdminAccountsQuery):
    """Mastodon's v2 filters: `origin` (local, remote), `status` (active, pending,
    disabled, silenced, suspended), `permissions` (staff), `role_ids[]`, `invited_by`."""

    origin: str | None = Field(None, max_length=WORD_FIELD_MAX)
    status: str | None = Field(None, max_length=WORD_FIELD_MAX)
    permissions: str | None = Field(None, max_length=WORD_FIELD_MAX)
    role_ids: list[str] = Field(default_factory=list, max_length=10)
    invited_by: str | None = Field(None, max_length=WORD_FIELD_MAX)
