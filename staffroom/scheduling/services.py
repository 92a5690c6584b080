"""Scheduling posts, changing when, cancelling, and publishing them when due.

A post is checked when it is scheduled with the very rules that publishing applies
(`posts.services.status_check`), so only what changed meanwhile can stop it later: the post
it answers was deleted or went out of sight, its author left or was suspended. Then, as
Mastodon does, the scheduled post is dropped (and the reason logged), never retried.

Publishing claims each due row once: the row is deleted in the same transaction as the post
is written, so of two workers (or two schedulers' jobs) that read the same due row only the
one whose DELETE removed it publishes; the other deletes nothing and moves on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from staffroom.core.exceptions import DomainError, NotFound, ValidationFailed
from staffroom.core.ratelimit import enforce
from staffroom.media.models import MediaAttachment
from staffroom.polls.services import PollDraft
from staffroom.posts.models import Status
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.posts.services import IDEMPOTENCY_KEY_MAX, PostText, status_check, status_create
from staffroom.profiles.models import Profile
from staffroom.scheduling.models import ScheduledStatus, ScheduledStatusMedia
from staffroom.scheduling.selectors import scheduled_status_get

logger = logging.getLogger(__name__)

# Mastodon's rules (app/models/scheduled_status.rb): at least five minutes ahead, at most
# 300 waiting per account and 25 on any one day. Ours: at most a year ahead.
MINIMUM_OFFSET = timedelta(minutes=5)
MAXIMUM_OFFSET = timedelta(days=365)
TOTAL_LIMIT = 300
DAILY_LIMIT = 25
IDEMPOTENCY_WINDOW = timedelta(hours=1)
# Tries before a row that keeps failing for an unexpected reason is given up.
PUBLISH_ATTEMPTS_MAX = 3
PUBLISH_BATCH = 100
PUBLISH_RUN_MAX = 1000


def scheduled_at_parse(value: str | datetime) -> datetime:
    """An ISO 8601 date and time (a naive one is UTC, as on Mastodon); ValidationFailed
    (422) for anything else."""
    moment = value if isinstance(value, datetime) else _parsed(value)
    if moment is None:
        raise ValidationFailed(
            _("Validation failed: Scheduled at is not a date and time such as %(example)s")
            % {"example": "2030-01-31T08:30:00Z"}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _parsed(value: str) -> datetime | None:
    try:
        return parse_datetime(value.strip())
    except ValueError:  # well formed but impossible, such as 2030-02-30
        return None


def _check_time(account: Profile, moment: datetime, *, exclude: int | None = None) -> None:
    """Mastodon's validations of `scheduled_at`, with the limits counted from the rows."""
    now = timezone.now()
    if moment < now + MINIMUM_OFFSET:
        raise ValidationFailed(
            _("Validation failed: Scheduled at must be at least 5 minutes in the future")
        )
    if moment > now + MAXIMUM_OFFSET:
        raise ValidationFailed(
            _("Validation failed: Scheduled at must be at most a year in the future")
        )
    rows = ScheduledStatus.objects.filter(account=account)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    if rows.count() >= TOTAL_LIMIT:
        raise ValidationFailed(
            _("Validation failed: You have exceeded the limit of %(limit)d scheduled posts")
            % {"limit": TOTAL_LIMIT}
        )
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if rows.filter(scheduled_at__gte=day, scheduled_at__lt=day + timedelta(days=1)).count() >= (
        DAILY_LIMIT
    ):
        raise ValidationFailed(
            _(
                "Validation failed: You have exceeded the limit of %(limit)d scheduled posts "
                "for that day"
            )
            % {"limit": DAILY_LIMIT}
        )


def _lock(account: Profile) -> None:
    # The limits are counted, then a row is written: one account's schedulings take turns
    # (PostgreSQL; SQLite's writers take turns anyway).
    list(Profile.objects.select_for_update().filter(pk=account.pk).values_list("pk"))


def _idempotent_answer(account: Profile, key: str | None) -> ScheduledStatus | None:
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed(_("Validation failed: Idempotency-Key is too long"))
    since = timezone.now() - IDEMPOTENCY_WINDOW
    return (
        ScheduledStatus.objects.filter(account=account, created_at__gte=since)
        .filter(params__idempotency=key)
        .first()
    )


def _held_elsewhere(media: Sequence[MediaAttachment]) -> None:
    taken = ScheduledStatusMedia.objects.filter(media__in=media).values_list("media_id", flat=True)
    for media_id in taken[:1]:
        raise ValidationFailed(
            _("Validation failed: media attachment %(id)s is already part of another post")
            % {"id": media_id}
        )


def scheduled_status_create(
    *,
    author: Profile,
    scheduled_at: str | datetime,
    draft: PostText,
    visibility: str,
    in_reply_to: Status | None = None,
    modality: str | None = None,
    idempotency_key: str | None = None,
    media_ids: Sequence[str | int] = (),
    poll: PollDraft | None = None,
    application_id: int | None = None,
) -> ScheduledStatus:
    """Schedule a post for `scheduled_at`, checked now as `posts.services.status_create`
    would check it (the visibility already resolved with the author's posting defaults).
    The uploads it names are held for it (not swept as unused, not usable by another post).
    A repeated `idempotency_key` within the hour answers the earlier scheduled post.

    Raises ValidationFailed (422) for a time less than five minutes or more than a year
    ahead, past 300 waiting or 25 on that day, and for everything `status_check` refuses;
    NotFound for a reply to a post the author may not see; RateLimited past the posting
    limit (scheduling counts as posting).
    """
    moment = scheduled_at_parse(scheduled_at)
    earlier = _idempotent_answer(author, idempotency_key)
    if earlier is not None:
        return earlier
    checked = status_check(
        author=author,
        draft=draft,
        visibility=visibility,
        in_reply_to=in_reply_to,
        modality=modality,
        media_ids=media_ids,
        poll=poll,
    )
    params: dict[str, Any] = {
        "text": checked.draft.text,
        "spoiler_text": checked.draft.spoiler_text,
        "sensitive": checked.draft.sensitive,
        "language": checked.draft.language,
        "visibility": checked.visibility.value,
        "modality": modality or None,
        "in_reply_to_id": str(checked.in_reply_to.pk) if checked.in_reply_to else None,
        "media_ids": [str(media.pk) for media in checked.media] or None,
        "poll": _poll_params(checked.poll),
        "idempotency": idempotency_key or None,
        "application_id": application_id,
    }
    with transaction.atomic():
        _lock(author)
        earlier = _idempotent_answer(author, idempotency_key)
        if earlier is not None:
            return earlier
        _check_time(author, moment)
        _held_elsewhere(checked.media)
        enforce("posting", f"profile:{author.pk}")
        row = ScheduledStatus.objects.create(account=author, scheduled_at=moment, params=params)
        ScheduledStatusMedia.objects.bulk_create(
            [ScheduledStatusMedia(scheduled_status=row, media=media) for media in checked.media]
        )
    return row


def scheduled_status_reschedule(
    *, actor: Profile, scheduled_status_id: object, scheduled_at: str | datetime
) -> ScheduledStatus:
    """Move the actor's scheduled post to `scheduled_at` (the only thing that changes, as on
    Mastodon). NotFound for another account's or an unknown id (the same answer);
    ValidationFailed for a time or a day the rules of `scheduled_status_create` refuse."""
    moment = scheduled_at_parse(scheduled_at)
    with transaction.atomic():
        _lock(actor)
        row = scheduled_status_get(actor, scheduled_status_id)
        _check_time(actor, moment, exclude=row.pk)
        row.scheduled_at = moment
        row.save(update_fields=["scheduled_at"])
    return row


def scheduled_status_delete(*, actor: Profile, scheduled_status_id: object) -> None:
    """Cancel the actor's scheduled post; its uploads stay theirs (unattached, so swept
    later unless another post uses them). NotFound for another account's or unknown id."""
    row = scheduled_status_get(actor, scheduled_status_id)
    ScheduledStatus.objects.filter(pk=row.pk).delete()


def scheduled_statuses_of_profile_delete(profile: Profile) -> int:
    """Every scheduled post of a teacher who leaves (nothing of it is published)."""
    deleted, _detail = ScheduledStatus.objects.filter(account=profile).delete()
    return deleted


def scheduled_statuses_publish_due(*, now: datetime | None = None) -> int:
    """Publish the scheduled posts that are due, oldest first, at most PUBLISH_RUN_MAX a run
    (the next run takes the rest). Returns how many were published. Safe to run in several
    processes at once: each row is published by one of them (`scheduled_status_publish`)."""
    moment = now or timezone.now()
    published = 0
    seen: set[int] = set()
    while len(seen) < PUBLISH_RUN_MAX:
        due = ScheduledStatus.objects.filter(scheduled_at__lte=moment).exclude(pk__in=seen)
        batch = list(
            due.order_by("scheduled_at", "id").values_list("pk", flat=True)[:PUBLISH_BATCH]
        )
        if not batch:
            break
        seen.update(batch)
        published += sum(scheduled_status_publish(pk, now=moment) is not None for pk in batch)
    return published


def scheduled_status_publish(
    scheduled_status_id: int, *, now: datetime | None = None
) -> Status | None:
    """Publish one due scheduled post and delete its row, in one transaction; None when
    another process has it (locked rows are skipped: each is published once), when it is not
    due, or when it cannot be published any more (logged, and the row is gone: a post is
    dropped, never retried forever).

    A try that crashes is counted (in the same transaction, the post itself rolled back to
    its savepoint), so a row that keeps crashing is given up after PUBLISH_ATTEMPTS_MAX
    tries; a process killed mid-way leaves the row as it was, to be published later."""
    moment = now or timezone.now()
    mine = ScheduledStatus.objects.filter(pk=scheduled_status_id, scheduled_at__lte=moment)
    with transaction.atomic():
        row = mine.select_for_update(skip_locked=True, of=("self",)).first()
        if row is None:
            return None
        row = ScheduledStatus.objects.select_related("account").get(pk=row.pk)
        if row.attempts >= PUBLISH_ATTEMPTS_MAX:
            row.delete()
            logger.error("Scheduled post %s given up after %s tries", row.pk, row.attempts)
            return None
        try:
            with transaction.atomic():
                status = _publish(row)
        except DomainError as error:
            row.delete()
            logger.warning("Scheduled post %s not published: %s", row.pk, error.message)
            return None
        except Exception:
            ScheduledStatus.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            logger.exception("Scheduled post %s failed to publish", row.pk)
            return None
        row.delete()
        return status


def _publish(row: ScheduledStatus) -> Status:
    author = row.account
    if not Profile.objects.in_good_standing().filter(pk=author.pk).exists():
        raise NotFound(_("its author's account is no longer active"))
    params = row.params
    in_reply_to = None
    if params.get("in_reply_to_id"):
        in_reply_to = status_get_for_viewer(params["in_reply_to_id"], author)
    wanted = [int(pk) for pk in params.get("media_ids") or []]
    # An upload deleted since, or put on a post published meanwhile, is left out; the post
    # goes with the others.
    free = MediaAttachment.objects.filter(account=author, pk__in=wanted, status__isnull=True)
    still_there = set(free.values_list("pk", flat=True))
    return status_create(
        author=author,
        draft=PostText(
            text=params.get("text") or "",
            spoiler_text=params.get("spoiler_text") or "",
            sensitive=bool(params.get("sensitive")),
            language=params.get("language") or "",
        ),
        visibility=params["visibility"],
        in_reply_to=in_reply_to,
        modality=params.get("modality"),
        media_ids=[pk for pk in wanted if pk in still_there],
        poll=_poll_draft(params.get("poll")),
        rate_limited=False,
    )


def _poll_params(poll: PollDraft | None) -> dict[str, Any] | None:
    """The poll as Mastodon's ScheduledStatus `params.poll` shows it."""
    if poll is None:
        return None
    return {
        "options": list(poll.options),
        "expires_in": poll.expires_in,
        "multiple": poll.multiple,
        "hide_totals": poll.hide_totals,
    }


def _poll_draft(params: dict[str, Any] | None) -> PollDraft | None:
    if not params:
        return None
    return PollDraft(
        options=tuple(params["options"]),
        expires_in=int(params["expires_in"]),
        multiple=bool(params.get("multiple")),
        hide_totals=bool(params.get("hide_totals")),
    )
