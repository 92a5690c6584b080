"""Moderation pages (a package): the teacher's own reports and notices under Settings; the
report form; the moderators' queue, report and account pages; the administrators' rules,
roles and audit log."""

from staffroom.moderation.views.own import my_notices, my_reports

__all__ = ["my_notices", "my_reports"]
