"""What account deletion (the real request and job) does to moderation's rows: reports a
deleted teacher filed stay without a reporter, the audit log keeps every entry with the
handles it named, and reports about a deleted teacher stay (SECURITY-PLAN D-4)."""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.leaving.deletion import account_delete_request
from staffroom.moderation import services
from staffroom.moderation.models import ActionKind, ModerationAction, Report, ReportedPost
from tests.factories import DEFAULT_PASSWORD


def _delete(user: User, run_jobs) -> None:
    account_delete_request(user=user, password=DEFAULT_PASSWORD)
    run_jobs()
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_deleted_teachers_reports_stay_without_a_reporter(moderator, ada, bo, post, run_jobs):
    reported = post(bo, "Buy my worksheets!")
    report = services.report_create(
        reporter=ada, target_id=bo.pk, status_ids=[reported.pk], comment="Selling."
    )
    _delete(ada.user, run_jobs)
    report.refresh_from_db()
    assert report.reporter_id is None
    assert (report.target_id, report.comment) == (bo.pk, "Selling.")
    snapshot = ReportedPost.objects.get(report=report)
    assert snapshot.status_id == reported.pk
    assert "worksheets" in snapshot.content
    # Still in the queue, and a moderator can still act on it.
    assert report in Report.objects.filter(resolved_at__isnull=True)
    services.report_dismiss(actor=moderator, report_id=report.pk)


def test_the_audit_log_keeps_entries_about_a_deleted_teacher(moderator, ada, bo, post, run_jobs):
    removed = post(bo, "A photo of my class, names and all")
    report = services.report_create(reporter=ada, target_id=bo.pk, status_ids=[removed.pk])
    services.status_remove(
        actor=moderator, status_id=removed.pk, note="No student names.", report_id=report.pk
    )
    services.account_limit(actor=moderator, account_id=bo.pk, note="Limited.")
    before = set(ModerationAction.objects.values_list("pk", flat=True))
    _delete(bo.user, run_jobs)
    actions = list(ModerationAction.objects.order_by("id"))
    assert {action.pk for action in actions} == before
    assert [action.kind for action in actions] == [
        ActionKind.STATUS_REMOVE,
        ActionKind.ACCOUNT_LIMIT,
    ]
    for action in actions:
        assert action.target_account_id is None
        assert action.target_handle == "bo"
        assert action.actor_handle == "modmo"
    assert actions[0].target_status_id == removed.pk
    assert "names and all" in actions[0].detail["post"]["content"]


def test_the_audit_log_keeps_a_deleted_moderators_actions(moderator, ada, bo, run_jobs):
    report = services.report_create(reporter=ada, target_id=bo.pk)
    services.account_limit(actor=moderator, account_id=bo.pk, note="Limited.", report_id=report.pk)
    _delete(moderator, run_jobs)
    action = ModerationAction.objects.get(kind=ActionKind.ACCOUNT_LIMIT)
    assert action.actor_id is None
    assert action.actor_handle == "modmo"
    assert action.report_id == report.pk
    report.refresh_from_db()
    assert report.resolved_at is not None
    assert report.resolved_by_id is None
    assert report.action_taken


def test_reports_about_a_deleted_teacher_stay(moderator, ada, bo, post, run_jobs):
    reported = post(bo, "Buy my worksheets!")
    report = services.report_create(reporter=ada, target_id=bo.pk, status_ids=[reported.pk])
    _delete(bo.user, run_jobs)
    kept = Report.objects.get(pk=report.pk)
    assert kept.target is None
    assert kept.target_acct == "bo"
    assert ReportedPost.objects.filter(report_id=report.pk).exists()


def test_a_report_on_a_deleted_account_still_reads_for_moderators(
    client, moderator, ada, bo, post, run_jobs
):
    """The queue, the report page and the admin API still answer (no account actions)."""
    from staffroom.moderation.selectors import reports_queue

    reported = post(bo, "Buy my worksheets!")
    report = services.report_create(reporter=ada, target_id=bo.pk, status_ids=[reported.pk])
    _delete(bo.user, run_jobs)
    assert [r.pk for r in reports_queue(actor=moderator)] == [report.pk]
    client.force_login(moderator, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    page = client.get(f"/moderation/reports/{report.pk}")
    assert page.status_code == 200
    assert "has since been deleted" in page.content.decode()
    assert client.get("/moderation").status_code == 200
    refused = client.post(f"/moderation/reports/{report.pk}/suspend", {"note": "x"})
    assert refused.status_code == 404
    assert client.post(f"/moderation/reports/{report.pk}/dismiss", {"note": ""}).status_code == 302
