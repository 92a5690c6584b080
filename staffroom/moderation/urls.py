"""Moderation pages: the report form, the teacher's own reports and notices under Settings,
the moderators' queue, report and account pages, the administrators' audit log, rules and
roles."""

from django.urls import path

from staffroom.moderation import views

app_name = "moderation"

urlpatterns = [
    path("reports/new", views.report_new, name="report-new"),
    path("reports/sent", views.report_sent, name="report-sent"),
    path("settings/reports", views.my_reports, name="my-reports"),
    path("settings/moderation", views.my_notices, name="my-notices"),
    path("moderation", views.queue, name="queue"),
    path("moderation/reports/<str:report_id>", views.report_detail, name="report"),
    path(
        "moderation/reports/<str:report_id>/<slug:action>",
        views.report_action,
        name="report-action",
    ),
    path("moderation/accounts/<str:account_id>", views.account_detail, name="account"),
    path(
        "moderation/accounts/<str:account_id>/<slug:action>",
        views.account_action,
        name="account-action",
    ),
    path("moderation/audit", views.audit, name="audit"),
    path("moderation/rules", views.rules, name="rules"),
    path("moderation/rules/<str:rule_id>/edit", views.rule_edit, name="rule-edit"),
    path("moderation/rules/<str:rule_id>/delete", views.rule_delete, name="rule-delete"),
    path("moderation/terms", views.terms, name="terms"),
    path("moderation/roles", views.roles, name="roles"),
]
