"""E-mail goes only where the teacher opted in. With every "E-mail me" box off, no kind of
e-mail is sent, except the account e-mails that are always sent (docs/subsystems/
notifications.md, "E-mails that are always sent"): confirming an address, an approved
sign-up, a password reset the person asked for, and a moderator's action on their own
account."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from staffroom.accounts.models import ApprovalState
from staffroom.accounts.services import account_approve, verification_email_resend
from staffroom.moderation import services as moderation
from staffroom.notifications.email import digests_send
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.notifications.services import preferences_update
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

STAFFROOM = Path(__file__).resolve().parents[2] / "staffroom"

# Every module that sends e-mail, and what decides whether it does. A new sender fails
# `test_every_module_that_sends_email_is_gated_or_documented_as_always_sent` until it is
# gated by the teacher's choice or documented as always sent.
EMAIL_SENDERS = {
    # The digest: only the notification kinds in `NotificationPreferences.email_kinds`.
    "notifications/email.py": "opt-in",
    # Confirming an address and telling a pending sign-up it was approved.
    "accounts/emails.py": "always",
    # A password reset the person asked for (Django's PasswordResetForm sends it).
    "accounts/forms.py": "always",
    # A moderator's action on the person's own account (a suspended person cannot sign in).
    "moderation/tasks.py": "always",
}
SENDING = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
    r"EmailMultiAlternatives|PasswordResetForm|get_connection)\b"
)


def _every_box_off(*profiles: Profile) -> None:
    for profile in profiles:
        preferences_update(profile, email_kinds=[])


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_no_notification_email_of_a_kind_whose_box_is_off(ada, bo, kind, run_jobs):
    _every_box_off(ada)
    status = make_post(ada, "Fractions with pizza")
    Notification.objects.create(
        recipient=ada, kind=kind, account=bo, status=status, source_id=status.pk, group_key="k"
    )
    run_jobs()
    assert digests_send() == 0
    assert mail.outbox == []
    # The box alone decides: ticked, the same notification is mailed.
    preferences_update(ada, email_kinds=[kind])
    assert digests_send() == 1
    assert [message.to for message in mail.outbox] == [[ada.user.email]]


@pytest.mark.parametrize("outcome", ["dismissed", "acted on"])
def test_a_handled_report_sends_no_email_when_every_box_is_off(
    moderator, ada, bo, outcome, run_jobs
):
    _every_box_off(ada, bo)
    status = make_post(bo, "Breaks a rule")
    report = moderation.report_create(reporter=ada, target_id=bo.pk, status_ids=[status.pk])
    if outcome == "dismissed":
        moderation.report_dismiss(actor=moderator, report_id=report.pk)
    else:
        moderation.status_remove(actor=moderator, status_id=status.pk, report_id=report.pk)
    run_jobs()
    digests_send()
    # Only the author of a removed post hears, about their own account; the reporter does
    # not, and finds the report handled under Notifications and Settings → Reports.
    expected = [] if outcome == "dismissed" else [[bo.user.email]]
    assert [message.to for message in mail.outbox] == expected
    assert Notification.objects.filter(
        recipient=ada, kind=NotificationKind.REPORT_RESOLVED
    ).exists()


def test_a_reporter_who_opted_in_hears_of_a_handled_report_in_the_digest(
    moderator, ada, bo, run_jobs
):
    preferences_update(ada, email_kinds=[NotificationKind.REPORT_RESOLVED])
    report = moderation.report_create(reporter=ada, target_id=bo.pk)
    moderation.report_dismiss(actor=moderator, report_id=report.pk)
    run_jobs()
    assert digests_send() == 1
    [message] = mail.outbox
    assert message.to == [ada.user.email]


def test_account_emails_are_sent_whatever_the_boxes(admin, moderator, client, run_jobs):
    unverified = make_user(handle="newcomer", verified=False)
    pending = make_user(handle="pending", approval=ApprovalState.PENDING)
    author = make_user(handle="author")
    forgetful = make_user(handle="forgetful")
    for user in (unverified, pending, author, forgetful):
        _every_box_off(user.profile)
    run_jobs()
    mail.outbox.clear()

    verification_email_resend(user=unverified)
    account_approve(user=pending, actor=admin)
    moderation.status_remove(actor=moderator, status_id=make_post(author.profile).pk)
    client.post("/accounts/password/reset", {"email": forgetful.email})
    run_jobs()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [unverified.email, pending.email, author.email, forgetful.email]
    )


def test_every_module_that_sends_email_is_gated_or_documented_as_always_sent():
    senders = {
        path.relative_to(STAFFROOM).as_posix()
        for path in STAFFROOM.rglob("*.py")
        if "migrations" not in path.parts and SENDING.search(path.read_text(encoding="utf-8"))
    }
    assert senders == set(EMAIL_SENDERS)
