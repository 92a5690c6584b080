"""The moderation JSON API: Mastodon's reports and admin routes (`/api/v1/reports`,
`/api/v1/admin/reports`, `/api/v1/admin/accounts`) and the PLN extensions under
`/api/v1/pln/` (single posts, roles, rules, terms, the audit log, and a teacher's own
reports and notices). The rules in force are served by the instance routes
(`staffroom.mastodon_api.routes.instance`) from `entities.rule_entities`. Every route calls
one service or selector of `staffroom.moderation`, where the rules live."""

from staffroom.moderation.api.admin import accounts_router as admin_accounts_router
from staffroom.moderation.api.admin import accounts_v2_router as admin_accounts_v2_router
from staffroom.moderation.api.admin import reports_router as admin_reports_router
from staffroom.moderation.api.pln import router as pln_router
from staffroom.moderation.api.reports import router as reports_router

__all__ = [
    "admin_accounts_router",
    "admin_accounts_v2_router",
    "admin_reports_router",
    "pln_router",
    "reports_router",
]
