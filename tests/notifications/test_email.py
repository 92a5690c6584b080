"""Notification e-mails, read back from a real local SMTP server (aiosmtpd on 127.0.0.1):
one batched digest per teacher for the kinds they opted into, in plain words, with a
one-click unsubscribe link and headers; nothing for a teacher who did not opt in or is
away; nothing twice; nothing from an account blocked since; a failed send is retried."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.urls import resolve
from django.utils import timezone

from staffroom.core.scheduler import periodic_list
from staffroom.graph.services import block_create, follow_create
from staffroom.notifications import digest_tasks
from staffroom.notifications.email import (
    EMAIL_ITEMS_MAX,
    EMAIL_MAX_AGE,
    DigestNotSent,
    digests_send,
)
from staffroom.notifications.models import Notification, NotificationKind, NotificationPreferences
from staffroom.notifications.services import preferences_update, unsubscribe
from staffroom.notifications.tasks import notify
from staffroom.posts.services import PostText, favourite_create, reblog_create, status_create
from staffroom.profiles.uris import instance_base_url
from staffroom.timelines.models import MarkerTimeline
from staffroom.timelines.services import marker_set

pytestmark = pytest.mark.django_db

SMTP_TIMEOUT_SECONDS = 5


@dataclass
class Inbox:
    """What the local SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class _EphemeralController(Controller):
    """aiosmtpd's Controller on a port the system picks (port 0): it learns the real port
    before connecting to itself to check the server is up."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    received = Inbox()
    controller = _EphemeralController(
        received, hostname="127.0.0.1", port=0, ready_timeout=SMTP_TIMEOUT_SECONDS
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = SMTP_TIMEOUT_SECONDS
    try:
        yield received
    finally:
        controller.stop()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _link_after(text: str, marker: str) -> str:
    after = text.split(marker, 1)[1]
    return after.split()[0]


def test_one_batched_email_lists_the_opted_in_kinds_in_plain_words(
    ada, bo, cy, post, inbox, run_jobs
):
    preferences_update(ada, email_kinds=["mention", "follow", "favourite"])
    status = post(ada, "Fractions with pizza")
    post(bo, "Love this idea", in_reply_to=status)
    follow_create(actor=cy, target=ada)
    favourite_create(actor=cy, status=status)
    reblog_create(actor=bo, status=status)  # reshares were not asked for by e-mail
    run_jobs()

    assert digests_send() == 1

    assert len(inbox.messages) == 1
    message = inbox.to("ada@school.example")[0]
    assert message["Subject"] == "3 new notifications on Staffroom"
    body = _body(message)
    assert "@bo replied to your post: Love this idea" in body
    assert "@cy followed you" in body
    assert "@cy favourited your post: Fractions with pizza" in body
    assert "reshared" not in body
    assert f"{instance_base_url()}/notifications" in body
    assert message.get_body(preferencelist=("html",)) is not None
    assert Notification.objects.filter(recipient=ada, emailed_at__isnull=True).get().kind == (
        NotificationKind.REBLOG
    )


def test_the_email_has_a_one_click_unsubscribe_link_and_headers(ada, bo, inbox, run_jobs):
    preferences_update(ada, email_kinds=["follow"])
    follow_create(actor=bo, target=ada)
    run_jobs()

    digests_send()

    message = inbox.to("ada@school.example")[0]
    link = _link_after(_body(message), "no sign-in):")
    assert link.startswith(instance_base_url() + "/")
    assert str(message["List-Unsubscribe"]).strip() == f"<{link}>"
    assert str(message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    route = resolve(urlsplit(link).path)
    assert route.view_name == "notifications:unsubscribe"
    token = unquote(route.kwargs["token"])
    assert unsubscribe(token) == ada
    assert NotificationPreferences.objects.get(owner=ada).email_kinds == []


def test_a_teacher_who_did_not_opt_in_gets_nothing(ada, bo, inbox, run_jobs):
    preferences_update(bo, muted_kinds=[])  # preferences saved, no e-mail kinds
    follow_create(actor=bo, target=ada)
    follow_create(actor=ada, target=bo)
    run_jobs()
    assert Notification.objects.count() == 2

    assert digests_send() == 0

    assert inbox.messages == []


def test_a_teacher_away_gets_nothing_then_or_after(ada, bo, cy, inbox, run_jobs):
    preferences_update(ada, email_kinds=["follow"])
    follow_create(actor=bo, target=ada)
    run_jobs()
    ada.is_away = True
    ada.save(update_fields=["is_away"])
    follow_create(actor=cy, target=ada)  # written while away
    run_jobs()

    assert digests_send() == 0
    assert inbox.messages == []

    ada.is_away = False
    ada.save(update_fields=["is_away"])
    digests_send()
    body = _body(inbox.to("ada@school.example")[0])
    assert "@bo followed you" in body  # from before the break, still new
    assert "@cy" not in body  # came while away: the away summary tells of it, not e-mail


def test_a_second_run_sends_nothing_new_and_a_third_only_what_is_new(ada, bo, cy, inbox, run_jobs):
    preferences_update(ada, email_kinds=["follow"])
    follow_create(actor=bo, target=ada)
    run_jobs()
    digests_send()
    assert len(inbox.messages) == 1

    assert digests_send() == 0
    assert len(inbox.messages) == 1

    follow_create(actor=cy, target=ada)
    run_jobs()
    digest_tasks.notifications_email_digest()
    assert len(inbox.messages) == 2
    body = _body(inbox.messages[1])
    assert "@cy followed you" in body
    assert "@bo" not in body


def test_a_long_batch_lists_twenty_and_counts_the_rest(ada, bo, inbox):
    preferences_update(ada, email_kinds=["follow"])
    for source_id in range(EMAIL_ITEMS_MAX + 3):
        notify(recipient=ada, actor=bo, kind=NotificationKind.FOLLOW, source_id=source_id + 1)

    digests_send()

    message = inbox.to("ada@school.example")[0]
    body = _body(message)
    assert body.count("@bo followed you") == EMAIL_ITEMS_MAX
    assert "and 3 more" in body
    assert message["Subject"] == f"{EMAIL_ITEMS_MAX + 3} new notifications on Staffroom"


def test_nothing_from_an_account_blocked_since_and_it_is_not_mailed_later(
    ada, bo, cy, post, inbox, run_jobs
):
    preferences_update(ada, email_kinds=["mention", "follow"])
    post(bo, "Hello @ada")
    follow_create(actor=cy, target=ada)
    run_jobs()
    block_create(actor=ada, target=bo)

    digests_send()

    body = _body(inbox.to("ada@school.example")[0])
    assert "@cy followed you" in body
    assert "@bo" not in body
    assert not Notification.objects.filter(recipient=ada, emailed_at__isnull=True).exists()


def test_a_content_warning_is_shown_instead_of_the_post(ada, bo, inbox, run_jobs):
    preferences_update(ada, email_kinds=["mention"])
    draft = PostText(text="@ada the spoiler is in here", spoiler_text="Season finale")
    status_create(author=bo, draft=draft)
    run_jobs()

    digests_send()

    body = _body(inbox.to("ada@school.example")[0])
    assert "@bo mentioned you: (content warning: Season finale)" in body
    assert "spoiler is in here" not in body


def test_what_was_read_or_is_old_is_not_mailed(ada, bo, cy, inbox, run_jobs):
    preferences_update(ada, email_kinds=["follow"])
    follow_create(actor=bo, target=ada)
    run_jobs()
    read = Notification.objects.get(recipient=ada, account=bo)
    marker_set(ada, MarkerTimeline.NOTIFICATIONS, str(read.pk))
    follow_create(actor=cy, target=ada)
    run_jobs()
    Notification.objects.filter(account=cy).update(
        created_at=timezone.now() - EMAIL_MAX_AGE - timedelta(minutes=1)
    )

    assert digests_send() == 0
    assert inbox.messages == []


def test_a_failed_send_keeps_the_notifications_for_the_next_run(ada, bo, inbox, settings, run_jobs):
    preferences_update(ada, email_kinds=["follow"])
    follow_create(actor=bo, target=ada)
    run_jobs()
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # discard: nothing listens there

    with pytest.raises(DigestNotSent):
        digests_send()
    assert Notification.objects.get(recipient=ada).emailed_at is None

    settings.EMAIL_PORT = working_port
    assert digests_send() == 1
    assert "@bo followed you" in _body(inbox.to("ada@school.example")[0])


def test_the_digest_job_runs_every_fifteen_minutes():
    entry = next(e for e in periodic_list() if e.name == "notifications.email-digest")
    assert entry.every == timedelta(minutes=15)
    assert entry.job_function is digest_tasks.notifications_email_digest
