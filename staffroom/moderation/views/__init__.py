"""Moderation pages (a package): the teacher's own reports and notices under Settings; the
report form; the moderators' queue, report and account pages; the administrators' rules,
roles and audit log."""

from staffroom.moderation.views.accounts import account_action, account_detail
from staffroom.moderation.views.admin import audit, roles, rule_delete, rule_edit, rules, terms
from staffroom.moderation.views.own import my_notices, my_reports
from staffroom.moderation.views.queue import queue, report_action, report_detail
from staffroom.moderation.views.report import report_new, report_sent

__all__ = [
    "account_action",
    "account_detail",
    "audit",
    "my_notices",
    "my_reports",
    "queue",
    "report_action",
    "report_detail",
    "report_new",
    "report_sent",
    "roles",
    "rule_delete",
    "rule_edit",
    "rules",
    "terms",
]
