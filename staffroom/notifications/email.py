"""Notification e-mails: one batched digest per teacher, for the kinds they opted into.

E-mail is opt-in per kind (`NotificationPreferences.email_kinds`). Every run of the digest
job (`digest_tasks.py`, every 15 minutes) sends each teacher at most ONE e-mail listing what
is new since the last one, so a busy afternoon of favourites is one message, not forty.

What is e-mailed: notifications of an opted-in kind that were not e-mailed yet
(`emailed_at` null), did not come while the teacher was away (`while_away`), are not older
than EMAIL_MAX_AGE (turning e-mail on does not mail a month of history) and are newer than
the teacher's read position (what they already read in an app needs no e-mail). Nobody is
e-mailed while away (`Profile.is_away`), nor without a confirmed address, nor when their
account is not in good standing. What a notification is about is re-checked as the
notifications page does: nothing from an account blocked or muted (notifications hidden)
since, nor about a post the teacher may no longer see, nor from an account no longer in good
standing. Those are marked handled with the rest and never mailed.

Sending never holds a database transaction open: on SQLite every write transaction takes
the write lock, and a slow mail server would stall every teacher's writes for as long as
it took. So a teacher's notifications are claimed first (locked, marked `emailed_at`,
committed; rows another run holds are skipped), the message is built and sent after the
commit, and a send that fails gives the claim back (the marks are cleared) so the next
run tries again. A crash in the instant between the commit and the send loses that one
digest (the notifications stay on the page); the other order would hold the lock through
the SMTP conversation.

Every digest carries a one-click unsubscribe link (`services.unsubscribe_token`) in its
text and in the `List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 8058).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staffroom.core.html import plain_text
from staffroom.graph.selectors import blocked_ids_for, muted_ids_for
from staffroom.notifications.models import Notification, NotificationKind, NotificationPreferences
from staffroom.notifications.selectors import known_kinds, read_position
from staffroom.notifications.services import unsubscribe_token
from staffroom.posts.models import Status
from staffroom.posts.selectors import visible_among
from staffroom.profiles.models import Profile, good_standing_q
from staffroom.profiles.uris import instance_base_url

logger = logging.getLogger(__name__)

# One e-mail lists at most this many notifications, then "and N more".
EMAIL_ITEMS_MAX = 20
# Older unsent notifications are never mailed (see the module docstring).
EMAIL_MAX_AGE = timedelta(days=2)
EXCERPT_CHARS = 100
# How many teachers' preferences are read per query when finding who to mail.
CANDIDATE_CHUNK = 500


@dataclass(frozen=True)
class Digest:
    """One teacher's e-mail: the lines to list (newest first) and how many more there are."""

    profile: Profile
    lines: list[str]
    more: int

    @property
    def count(self) -> int:
        return len(self.lines) + self.more


def _mailable(prefix: str = "") -> Q:
    """Local teachers in good standing, not away, with a confirmed address (`prefix`: the
    path to the profile, e.g. `recipient__`)."""
    conditions = {"domain": "", "is_away": False, "user__email_verified_at__isnull": False}
    return good_standing_q(prefix) & Q(
        **{prefix + name: value for name, value in conditions.items()}
    )


def _pending(now: datetime) -> QuerySet[Notification]:
    """Notifications no digest has handled yet, recent, not from while away, and not put
    aside by the recipient's notification policy (`filtered`)."""
    return Notification.objects.filter(
        emailed_at__isnull=True,
        while_away=False,
        filtered=False,
        created_at__gte=now - EMAIL_MAX_AGE,
    )


def digest_candidates(*, now: datetime | None = None) -> dict[int, list[str]]:
    """Teachers who may have something to mail: profile id -> the kinds they want by e-mail.

    Read from the pending notifications (a handful of teachers at a time), so a run costs
    nothing for the many teachers with nothing new."""
    now = now or timezone.now()
    recipient_ids = list(
        _pending(now)
        .filter(_mailable("recipient__"))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    found: dict[int, list[str]] = {}
    for start in range(0, len(recipient_ids), CANDIDATE_CHUNK):
        chunk = recipient_ids[start : start + CANDIDATE_CHUNK]
        rows = NotificationPreferences.objects.filter(owner_id__in=chunk).values_list(
            "owner_id", "email_kinds"
        )
        for owner_id, kinds in rows:
            wanted = known_kinds(kinds or [])
            if wanted:
                found[owner_id] = wanted
    return found


def _actor_name(profile: Profile) -> str:
    """`Display Name (@acct)`: the handle always shows, so a display name cannot pose as
    someone else in an inbox."""
    if profile.display_name:
        return f"{profile.display_name} (@{profile.acct})"
    return f"@{profile.acct}"


def _excerpt(status: Status | None) -> str:
    """A line of the post in plain text; only its content warning when it has one (what the
    author chose to fold is not spelled out in an inbox)."""
    if status is None:
        return ""
    if status.spoiler_text:
        return _("(content warning: %(warning)s)") % {"warning": status.spoiler_text}
    text = " ".join(html.unescape(plain_text(status.content)).split())
    return Truncator(text).chars(EXCERPT_CHARS)


def describe(notification: Notification, recipient: Profile) -> str:
    """The notification in plain words, e.g. "Bo (@bo) replied to your post: ..."."""
    values = {"name": _actor_name(notification.account), "post": _excerpt(notification.status)}
    kind = notification.kind
    status = notification.status
    if kind == NotificationKind.MENTION:
        replied_to = status.in_reply_to if status is not None else None
        if replied_to is not None and replied_to.account_id == recipient.pk:
            return _("%(name)s replied to your post: %(post)s") % values
        return _("%(name)s mentioned you: %(post)s") % values
    if kind == NotificationKind.STATUS:
        return _("%(name)s posted: %(post)s") % values
    if kind == NotificationKind.REBLOG:
        return _("%(name)s reshared your post: %(post)s") % values
    if kind == NotificationKind.FAVOURITE:
        return _("%(name)s favourited your post: %(post)s") % values
    if kind == NotificationKind.FOLLOW:
        return _("%(name)s followed you") % values
    if kind == NotificationKind.FOLLOW_REQUEST:
        return _("%(name)s asked to follow you") % values
    if kind == NotificationKind.CONNECTION_REQUEST:
        return _("%(name)s asked to connect with you") % values
    if kind == NotificationKind.CONNECTION_ACCEPTED:
        return _("%(name)s accepted your connection request") % values
    if kind == NotificationKind.POLL:
        return _("A poll has ended: %(post)s") % values
    if kind == NotificationKind.REPORT_RESOLVED:
        return _("The moderators handled a report you filed")
    return _("%(name)s: a new notification") % values


def _still_mailable(recipient: Profile, rows: Iterable[Notification]) -> list[Notification]:
    """Leave out what the teacher would no longer be shown: an account blocked (either way)
    or muted with notifications since, or no longer in good standing; a post they may no
    longer see."""
    rows = list(rows)
    hidden = blocked_ids_for(recipient) | muted_ids_for(recipient, notifications=True)
    standing = set(
        Profile.objects.in_good_standing()
        .filter(pk__in={row.account_id for row in rows})
        .values_list("pk", flat=True)
    )
    visible = visible_among(recipient, {row.status_id for row in rows if row.status_id})
    kept = []
    for row in rows:
        if row.account_id in hidden or row.account_id not in standing:
            continue
        if row.status_id is not None:
            if row.status_id not in visible:
                continue
            row.status = visible[row.status_id]
        kept.append(row)
    return kept


def digest_build(recipient: Profile, rows: list[Notification]) -> Digest:
    """The digest of `rows` (newest first, already re-checked) for `recipient`."""
    lines = [describe(row, recipient) for row in rows[:EMAIL_ITEMS_MAX]]
    return Digest(profile=recipient, lines=lines, more=max(0, len(rows) - EMAIL_ITEMS_MAX))


def unsubscribe_url(profile: Profile) -> str:
    """The one-click link that turns every notification e-mail off (no sign-in needed)."""
    return instance_base_url() + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(profile)]
    )


def digest_message(digest: Digest, *, to: str) -> EmailMultiAlternatives:
    """The e-mail: plain text (and an HTML part), with RFC 8058 one-click unsubscribe."""
    unsubscribe = unsubscribe_url(digest.profile)
    context = {
        "handle": digest.profile.handle,
        "lines": digest.lines,
        "more": digest.more,
        "notifications_url": instance_base_url() + reverse("notifications:list"),
        "unsubscribe_url": unsubscribe,
    }
    subject = ngettext(
        "%(count)d new notification on Staffroom",
        "%(count)d new notifications on Staffroom",
        digest.count,
    ) % {"count": digest.count}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        from_email=None,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    return message


def digest_send(profile_id: int, kinds: list[str], *, now: datetime | None = None) -> int:
    """Send `profile_id` one digest of their pending notifications of `kinds`; return how
    many notifications it listed (0: nothing was sent).

    Claim the pending rows in one short transaction (skipping rows another run holds) and
    mark them all `emailed_at` (those left out by the re-check too: they are decided); then
    send, outside the transaction. A send that fails clears the marks and raises (see the
    module docstring)."""
    now = now or timezone.now()
    with transaction.atomic():
        recipient = (
            Profile.objects.select_related("user").filter(_mailable(), pk=profile_id).first()
        )
        if recipient is None or recipient.user is None or not kinds:
            return 0
        locked = list(
            _pending(now)
            .filter(recipient=recipient, kind__in=kinds, pk__gt=read_position(recipient))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not locked:
            return 0
        rows = (
            Notification.objects.filter(pk__in=locked)
            .select_related("account", "status__in_reply_to")
            .order_by("-id")
        )
        kept = _still_mailable(recipient, rows)
        Notification.objects.filter(pk__in=locked).update(emailed_at=now)
        if not kept:
            return 0
        with translation.override(None):
            digest = digest_build(recipient, kept)
            message = digest_message(digest, to=recipient.user.email)
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk__in=locked, emailed_at=now).update(emailed_at=None)
        raise
    return digest.count


class DigestNotSent(Exception):
    """Some digests of a run could not be sent; they are tried again on the next run."""


def digests_send(*, now: datetime | None = None) -> int:
    """Send every teacher who has something new their digest; return how many were sent.

    One teacher's failure (their server refused, SMTP went away) does not stop the others;
    their notifications stay unmarked and DigestNotSent is raised at the end so the job
    records the failure."""
    now = now or timezone.now()
    sent = 0
    failed: list[int] = []
    for profile_id, kinds in digest_candidates(now=now).items():
        try:
            if digest_send(profile_id, kinds, now=now):
                sent += 1
        except OSError:  # smtplib's errors are OSErrors, as are refused connections
            logger.exception("Notification digest for profile %s not sent", profile_id)
            failed.append(profile_id)
    if failed:
        raise DigestNotSent(f"{len(failed)} digest(s) not sent; {sent} sent")
    return sent
