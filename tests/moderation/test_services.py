"""Moderation services: rules, reports, actions on posts and accounts, roles, and the audit
log written with each. Who may act on whom, bad input, and that a refused action changes
nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from staffroom.accounts.models import StaffRole, User
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.graph.services import follow_create
from staffroom.moderation import services
from staffroom.moderation.models import (
    ActionKind,
    AuditLogImmutable,
    ModerationAction,
    Report,
    ReportCategory,
    Rule,
)
from staffroom.moderation.selectors import (
    account_history,
    audit_log,
    notices_for,
    report_for_moderator,
    reports_filed_by,
    reports_queue,
)
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.oauth.services import personal_token_create
from staffroom.posts.models import Visibility
from staffroom.posts.selectors import visible_statuses
from staffroom.posts.services import PostText, status_edit
from staffroom.profiles.stats import stats_for
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.selectors import home_timeline, public_timeline
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _rules(admin: User, count: int = 3) -> list[Rule]:
    texts = ["Be kind to colleagues", "No student data", "No advertising"]
    return [services.rule_create(actor=admin, text=text) for text in texts[:count]]


# --- Rules -------------------------------------------------------------------------------


def test_an_administrator_sets_rules_in_order_and_each_change_is_logged(admin):
    first, second, third = _rules(admin)
    assert [rule.position for rule in (first, second, third)] == [1, 2, 3]
    services.rule_update(actor=admin, rule_id=second.pk, text="No pupil data", hint="Ever.")
    services.rule_delete(actor=admin, rule_id=third.pk)
    assert [rule.text for rule in services.live_rules()] == [
        "Be kind to colleagues",
        "No pupil data",
    ]
    kinds = [action.kind for action in ModerationAction.objects.order_by("id")]
    assert kinds == [ActionKind.RULE_CREATE] * 3 + [ActionKind.RULE_UPDATE, ActionKind.RULE_DELETE]


def test_moderators_and_teachers_cannot_set_rules(moderator, ada):
    for user in (moderator, ada.user):
        with pytest.raises(PermissionDenied):
            services.rule_create(actor=user, text="Mine")
    assert not Rule.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 301])
def test_a_rule_needs_text_of_a_sensible_length(admin, text):
    with pytest.raises(ValidationFailed):
        services.rule_create(actor=admin, text=text)
    assert not Rule.objects.exists()
    assert not ModerationAction.objects.exists()


def test_terms_are_set_by_administrators(admin, moderator):
    services.terms_update(actor=admin, terms="# Terms\n\nBe professional.")
    with pytest.raises(PermissionDenied):
        services.terms_update(actor=moderator, terms="Mine")
    from staffroom.accounts.selectors import site_configuration

    assert site_configuration().terms.startswith("# Terms")


# --- Reports -----------------------------------------------------------------------------


def test_a_teacher_reports_a_post_under_a_rule_and_the_post_is_kept_as_it_was(admin, ada, bo, post):
    rule = _rules(admin)[0]
    status = post(bo, "Something **unkind**")
    report = services.report_create(
        reporter=ada, target_id=bo.pk, status_ids=[status.pk], rule_ids=[rule.pk], comment="Rude"
    )
    status_edit(editor=bo, status=status, draft=PostText(text="Something nice"))
    snapshot = report.posts.get()
    assert "unkind" in snapshot.content
    assert report.category == ReportCategory.VIOLATION
    assert list(report.rules.all()) == [rule]
    assert report.is_open


def test_reporting_yourself_is_refused(ada):
    with pytest.raises(ValidationFailed, match="yourself"):
        services.report_create(reporter=ada, target_id=ada.pk)
    assert not Report.objects.exists()


def test_reporting_a_post_you_cannot_see_answers_as_unknown(ada, bo, cy, post):
    private = post(bo, "followers only", visibility=Visibility.FOLLOWERS)
    with pytest.raises(NotFound):
        services.report_create(reporter=ada, target_id=bo.pk, status_ids=[private.pk])
    someone_elses = post(cy, "cy's")
    with pytest.raises(NotFound):  # not bo's post
        services.report_create(reporter=ada, target_id=bo.pk, status_ids=[someone_elses.pk])
    with pytest.raises(NotFound):
        services.report_create(reporter=ada, target_id=10**15)
    assert not Report.objects.exists()


def test_a_report_of_1000_posts_is_refused_whole(ada, bo, post):
    ids = [post(bo, f"post {n}").pk for n in range(3)] * 334
    with pytest.raises(ValidationFailed, match="at most 20"):
        services.report_create(reporter=ada, target_id=bo.pk, status_ids=ids)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rule_ids": [987654]}, "rule"),
        ({"category": "gossip"}, "category"),
        ({"comment": "x" * 1001}, "comment"),
    ],
)
def test_bad_report_input_is_refused_with_a_reason(ada, bo, options, message):
    with pytest.raises(ValidationFailed, match=message):
        services.report_create(reporter=ada, target_id=bo.pk, **options)
    assert not Report.objects.exists()


def test_only_moderators_read_the_queue_and_a_report(moderator, ada, bo):
    report = services.report_create(reporter=ada, target_id=bo.pk, comment="spam")
    assert reports_queue(actor=moderator) == [report]
    assert report_for_moderator(actor=moderator, report_id=report.pk) == report
    for outsider in (ada.user, bo.user, None):
        with pytest.raises(PermissionDenied):
            reports_queue(actor=outsider)
        with pytest.raises(PermissionDenied):
            report_for_moderator(actor=outsider, report_id=report.pk)
    assert reports_filed_by(ada) == [report]
    assert reports_filed_by(bo) == []


def test_dismissing_tells_the_reporter_but_never_the_reported(moderator, ada, bo, run_jobs):
    report = services.report_create(reporter=ada, target_id=bo.pk)
    services.report_dismiss(actor=moderator, report_id=report.pk, note="Not against the rules")
    run_jobs()
    report.refresh_from_db()
    assert not report.is_open
    assert not report.action_taken
    # A notification, e-mailed only to a reporter who opted in (test_email_opt_in.py).
    assert Notification.objects.filter(
        recipient=ada, kind=NotificationKind.REPORT_RESOLVED
    ).exists()
    assert mail.outbox == []
    assert notices_for(bo) == []


# --- Removing a post ---------------------------------------------------------------------


def test_a_removed_post_disappears_everywhere_and_the_author_is_told(
    admin, moderator, ada, bo, post, run_jobs
):
    rule = _rules(admin)[0]
    follow_create(actor=ada, target=bo)
    run_jobs()
    status = post(bo, "Breaks a rule #edchat")
    run_jobs()
    assert FeedEntry.objects.filter(status=status).exists()
    report = services.report_create(
        reporter=ada, target_id=bo.pk, status_ids=[status.pk], rule_ids=[rule.pk]
    )
    before = stats_for([bo.pk])[bo.pk].statuses_count
    mail.outbox.clear()
    services.status_remove(
        actor=moderator, status_id=status.pk, note="Please keep it kind", report_id=report.pk
    )
    run_jobs()
    for viewer in (None, ada, bo):
        assert not visible_statuses(viewer).filter(pk=status.pk).exists()
    assert status not in home_timeline(ada)
    assert status not in public_timeline(None)
    assert not FeedEntry.objects.filter(status=status).exists()
    assert stats_for([bo.pk])[bo.pk].statuses_count == before - 1
    report.refresh_from_db()
    assert report.action_taken
    assert not report.is_open
    [to_bo] = mail.outbox  # the reporter hears from a notification, not an e-mail
    assert to_bo.to == [bo.user.email]
    assert "Please keep it kind" in to_bo.body
    assert "ada" not in to_bo.body  # the reporter stays unknown
    [notice] = notices_for(bo)
    assert notice.kind == ActionKind.STATUS_REMOVE
    assert notice.note == "Please keep it kind"
    [logged] = [a for a in audit_log(actor=admin) if a.kind == ActionKind.STATUS_REMOVE]
    assert logged.actor_handle == "modmo"
    assert logged.report == report


def test_a_restored_post_comes_back(moderator, ada, bo, post, run_jobs):
    status = post(bo, "Was fine after all")
    services.status_remove(actor=moderator, status_id=status.pk)
    services.status_restore(actor=moderator, status_id=status.pk, note="On appeal")
    run_jobs()
    assert visible_statuses(ada).filter(pk=status.pk).exists()
    assert [n.kind for n in notices_for(bo)] == [
        ActionKind.STATUS_RESTORE,
        ActionKind.STATUS_REMOVE,
    ]


def test_a_reshare_of_a_removed_post_disappears_too(moderator, ada, bo, cy, post):
    from staffroom.posts.services import reblog_create

    status = post(bo, "Original")
    reshare = reblog_create(actor=cy, status=status)
    services.status_remove(actor=moderator, status_id=status.pk)
    assert not visible_statuses(ada).filter(pk=reshare.pk).exists()


def test_marking_a_post_sensitive(moderator, bo, post):
    status = post(bo, "Graphic")
    services.status_mark_sensitive(actor=moderator, status_id=status.pk, note="Add a warning")
    status.refresh_from_db()
    assert status.sensitive


# --- Accounts ----------------------------------------------------------------------------


def test_a_limited_account_leaves_public_timelines_but_followers_still_see_it(
    moderator, ada, bo, post, run_jobs
):
    follow_create(actor=ada, target=bo)
    run_jobs()
    status = post(bo, "Public but limited #edchat")
    run_jobs()
    services.account_limit(actor=moderator, account_id=bo.pk, note="Spam")
    assert status not in public_timeline(None)
    assert status in home_timeline(ada)
    from staffroom.posts.selectors import tagged_statuses
    from staffroom.profiles.selectors import directory_list

    assert tagged_statuses("edchat") == []
    assert bo not in directory_list()
    services.account_unlimit(actor=moderator, account_id=bo.pk)
    assert status in public_timeline(None)


def test_a_suspended_account_cannot_sign_in_and_everything_it_wrote_is_hidden(
    client, moderator, ada, bo, post
):
    """SECURITY-PLAN A-5."""
    status = post(bo, "Hello")
    token = personal_token_create(user=bo.user, scopes="read").raw_token
    services.account_suspend(actor=moderator, account_id=bo.pk, note="Harassment")
    bo.user.refresh_from_db()
    assert not bo.user.is_active
    signed_in = client.post(
        "/accounts/login", {"username": bo.user.email, "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert signed_in.status_code == 200  # the form again, not a redirect
    answer = client.get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 401
    assert not visible_statuses(ada).filter(pk=status.pk).exists()
    services.account_unsuspend(actor=moderator, account_id=bo.pk, note="Appeal accepted")
    bo.user.refresh_from_db()
    assert bo.user.is_active
    assert visible_statuses(ada).filter(pk=status.pk).exists()
    history = account_history(actor=moderator, account_id=bo.pk)
    assert [a.kind for a in history.actions] == [
        ActionKind.ACCOUNT_UNSUSPEND,
        ActionKind.ACCOUNT_SUSPEND,
    ]


def test_a_moderator_cannot_act_on_an_administrator_and_nothing_changes(moderator, admin, post):
    status = post(admin.profile, "Admin's post")
    with pytest.raises(PermissionDenied):
        services.account_suspend(actor=moderator, account_id=admin.profile.pk)
    with pytest.raises(PermissionDenied):
        services.status_remove(actor=moderator, status_id=status.pk)
    admin.refresh_from_db()
    status.refresh_from_db()
    assert admin.is_active
    assert status.removed_at is None
    assert not ModerationAction.objects.exists()


def test_nobody_acts_on_themselves_or_the_owner(admin, owner, moderator):
    with pytest.raises(PermissionDenied):
        services.account_limit(actor=moderator, account_id=moderator.profile.pk)
    with pytest.raises(PermissionDenied):
        services.account_suspend(actor=admin, account_id=owner.profile.pk)
    services.account_limit(actor=owner, account_id=admin.profile.pk)  # the owner outranks


def test_teachers_cannot_moderate(ada, bo, post):
    status = post(bo, "Hello")
    for call in (
        lambda: services.status_remove(actor=ada.user, status_id=status.pk),
        lambda: services.account_suspend(actor=ada.user, account_id=bo.pk),
        lambda: services.report_dismiss(actor=ada.user, report_id=1),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_note_too_long_rolls_the_whole_action_back(moderator, bo):
    with pytest.raises(ValidationFailed, match="note"):
        services.account_suspend(actor=moderator, account_id=bo.pk, note="x" * 2001)
    bo.refresh_from_db()
    bo.user.refresh_from_db()
    assert bo.suspended_at is None
    assert bo.user.is_active
    assert not ModerationAction.objects.exists()


# --- Roles and the audit log --------------------------------------------------------------


def test_an_administrator_grants_and_revokes_moderation(admin, ada):
    services.role_set(actor=admin, account_id=ada.pk, role=StaffRole.MODERATOR)
    ada.user.refresh_from_db()
    assert ada.user.role == StaffRole.MODERATOR
    services.role_set(actor=admin, account_id=ada.pk, role=StaffRole.MEMBER)
    [grant, revoke] = sorted(
        ModerationAction.objects.filter(kind=ActionKind.ROLE_CHANGE), key=lambda a: a.pk
    )
    assert grant.detail == {"from": "member", "to": "moderator"}
    assert revoke.detail == {"from": "moderator", "to": "member"}


def test_moderators_cannot_grant_roles_nor_administrators_promote_past_themselves(
    admin, moderator, ada, owner
):
    with pytest.raises(PermissionDenied):
        services.role_set(actor=moderator, account_id=ada.pk, role=StaffRole.MODERATOR)
    other_admin = make_user(handle="deputy")
    services.role_set(actor=owner, account_id=other_admin.profile.pk, role=StaffRole.ADMIN)
    with pytest.raises(PermissionDenied):  # the same rank
        services.role_set(actor=admin, account_id=other_admin.profile.pk, role=StaffRole.MEMBER)
    with pytest.raises(ValidationFailed):
        services.role_set(actor=admin, account_id=ada.pk, role="overlord")


def test_the_audit_log_is_for_administrators_and_never_changes(admin, moderator, bo):
    services.account_limit(actor=moderator, account_id=bo.pk, note="Spam")
    with pytest.raises(PermissionDenied):
        audit_log(actor=moderator)
    [entry] = audit_log(actor=admin)
    entry.note = "rewritten"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        ModerationAction.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AuditLogImmutable):
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.get(pk=entry.pk).note == "Spam"


def test_a_report_about_a_moderator_is_handled_above_them(admin, moderator, ada):
    about_moderator = services.report_create(reporter=ada, target_id=moderator.profile.pk)
    with pytest.raises(PermissionDenied):
        services.report_dismiss(actor=moderator, report_id=about_moderator.pk)
    assert Report.objects.get(pk=about_moderator.pk).is_open
    services.report_dismiss(actor=admin, report_id=about_moderator.pk)
    assert not Report.objects.get(pk=about_moderator.pk).is_open
