"""Writing polls: the poll a post asks (created and replaced with the post, in its
transaction), votes, and the end of a poll.

Limits come from `core.limits`, the same values `/api/v1/instance` and `/api/v2/instance`
advertise under `configuration.polls`. Errors use Mastodon's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core import limits
from staffroom.core.events import PollEnded, emit
from staffroom.core.exceptions import NOT_FOUND, NotFound, ValidationFailed
from staffroom.core.text import one_spaced_line
from staffroom.polls.models import Poll, PollOption, PollVote
from staffroom.posts.models import Status
from staffroom.posts.selectors import can_see
from staffroom.profiles.models import Profile


def _already_voted() -> str:
    return _("Validation failed: You have already voted on this poll")


@dataclass(frozen=True)
class PollDraft:
    """A poll as the author asked for it: answers in order, how long it runs (seconds),
    whether several answers may be chosen, and whether totals stay hidden until it ends."""

    options: tuple[str, ...]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


def poll_draft_clean(draft: PollDraft) -> PollDraft:
    """`draft` with its answers stripped, or ValidationFailed (Mastodon's messages) for
    fewer than two or more than `POLL_OPTIONS_MAX` answers, a blank, too long or repeated
    answer, or a duration outside `POLL_EXPIRATION_MIN`..`POLL_EXPIRATION_MAX`."""
    options = tuple(one_spaced_line(option) for option in draft.options)
    if len(options) < limits.POLL_OPTIONS_MIN:
        raise ValidationFailed(_("Validation failed: Poll options must have more than one item"))
    if len(options) > limits.POLL_OPTIONS_MAX:
        raise ValidationFailed(
            _("Validation failed: Poll options can't contain more than %(max)d items")
            % {"max": limits.POLL_OPTIONS_MAX}
        )
    if any(not option for option in options):
        raise ValidationFailed(_("Validation failed: Poll options can't be blank"))
    if any(len(option) > limits.POLL_OPTION_CHARS_MAX for option in options):
        raise ValidationFailed(
            _("Validation failed: Poll options cannot be longer than %(max)d characters each")
            % {"max": limits.POLL_OPTION_CHARS_MAX}
        )
    if len({option.casefold() for option in options}) != len(options):
        raise ValidationFailed(_("Validation failed: Poll options contain duplicate items"))
    if draft.expires_in < limits.POLL_EXPIRATION_MIN:
        raise ValidationFailed(_("Validation failed: Poll expires at is too soon"))
    if draft.expires_in > limits.POLL_EXPIRATION_MAX:
        raise ValidationFailed(_("Validation failed: Poll expires at is too far into the future"))
    return PollDraft(
        options=options,
        expires_in=draft.expires_in,
        multiple=draft.multiple,
        hide_totals=draft.hide_totals,
    )


def poll_create(*, status: Status, draft: PollDraft) -> Poll:
    """The poll of a new post. Precondition: inside the transaction that writes `status`,
    with `draft` cleaned by `poll_draft_clean` (so a refused poll refuses the post)."""
    poll = Poll.objects.create(
        status=status,
        account_id=status.account_id,
        multiple=draft.multiple,
        hide_totals=draft.hide_totals,
        expires_at=timezone.now() + timedelta(seconds=draft.expires_in),
    )
    PollOption.objects.bulk_create(
        [
            PollOption(poll=poll, position=position, title=title)
            for position, title in enumerate(draft.options)
        ]
    )
    return poll


def poll_replace(*, status: Status, draft: PollDraft | None) -> Poll | None:
    """An edit's poll, as Mastodon's: None removes the post's poll; changed answers or a
    change between single and multiple choice reset the votes (and the end notice); the
    duration and hidden totals change in place. Precondition: inside the edit's transaction,
    `draft` cleaned."""
    existing = Poll.objects.select_for_update().filter(status=status).first()
    if draft is None:
        if existing is not None:
            existing.delete()
        return None
    if existing is None:
        return poll_create(status=status, draft=draft)
    titles = tuple(existing.options.order_by("position").values_list("title", flat=True))
    existing.hide_totals = draft.hide_totals
    existing.expires_at = timezone.now() + timedelta(seconds=draft.expires_in)
    existing.ended_notified_at = None
    if titles != draft.options or existing.multiple != draft.multiple:
        existing.votes.all().delete()
        existing.options.all().delete()
        PollOption.objects.bulk_create(
            [
                PollOption(poll=existing, position=position, title=title)
                for position, title in enumerate(draft.options)
            ]
        )
        existing.multiple = draft.multiple
        existing.votes_count = existing.voters_count = 0
    existing.save()
    return existing


def _choices_clean(poll: Poll, choices: Sequence[int], option_count: int) -> list[int]:
    chosen = sorted(set(choices))
    if not chosen:
        raise ValidationFailed(_("Validation failed: choices can't be blank"))
    if any(choice < 0 or choice >= option_count for choice in chosen):
        raise ValidationFailed(_("Validation failed: The chosen vote option does not exist"))
    if len(chosen) > 1 and not poll.multiple:
        raise ValidationFailed(_already_voted())
    return chosen


def poll_vote(*, voter: Profile, poll: Poll, choices: Sequence[int]) -> Poll:
    """Vote once on a poll of a post the voter may see: one answer, or several on a
    multiple-choice poll. The vote rows and every counter are written in one transaction,
    under a lock on the poll row; the unique (poll, account, choice) constraint answers a
    concurrent second vote. Raises NotFound for a post the voter may not see and
    ValidationFailed (Mastodon's words) for their own poll, an ended poll, a second vote,
    an unknown answer or several answers on a single-choice poll."""
    if not can_see(voter, poll.status):
        raise NotFound(NOT_FOUND)
    if poll.account_id == voter.pk:
        raise ValidationFailed(_("Validation failed: You cannot vote in your own polls"))
    try:
        with transaction.atomic():
            locked = Poll.objects.select_for_update().get(pk=poll.pk)
            if locked.is_expired:
                raise ValidationFailed(_("Validation failed: The poll has already ended"))
            chosen = _choices_clean(locked, choices, locked.options.count())
            if PollVote.objects.filter(poll=locked, account=voter).exists():
                raise ValidationFailed(_already_voted())
            PollVote.objects.bulk_create(
                [PollVote(poll=locked, account=voter, choice=choice) for choice in chosen]
            )
            PollOption.objects.filter(poll=locked, position__in=chosen).update(
                votes_count=F("votes_count") + 1
            )
            Poll.objects.filter(pk=locked.pk).update(
                votes_count=F("votes_count") + len(chosen), voters_count=F("voters_count") + 1
            )
    except IntegrityError as error:  # a concurrent request of the same voter won
        raise ValidationFailed(_already_voted()) from error
    return Poll.objects.select_related("status").get(pk=poll.pk)


def polls_end_due(*, now: datetime | None = None) -> list[int]:
    """Mark each poll whose time ran out as ended, once, and emit PollEnded for it (the
    notifications app tells its voters and author). Each poll is claimed with a
    conditional UPDATE, so two runs at once end it once. Returns the ids ended now."""
    moment = now or timezone.now()
    ended: list[int] = []
    due = Poll.objects.filter(expires_at__lte=moment, ended_notified_at__isnull=True)
    for poll_id, status_id in due.values_list("pk", "status_id")[:500]:
        with transaction.atomic():
            claimed = Poll.objects.filter(pk=poll_id, ended_notified_at__isnull=True).update(
                ended_notified_at=moment
            )
            if claimed:
                emit(PollEnded(poll_id=poll_id, status_id=status_id))
                ended.append(poll_id)
    return ended


def poll_votes_delete_for_account(profile: Profile) -> int:
    """Take a leaving teacher's votes off every poll and its answers' counts, then delete
    them, in one transaction (a rerun finds nothing left to count). Returns how many went."""
    with transaction.atomic():
        rows = list(PollVote.objects.filter(account=profile).values_list("poll_id", "choice"))
        if not rows:
            return 0
        per_poll: dict[int, int] = {}
        for poll_id, choice in rows:
            per_poll[poll_id] = per_poll.get(poll_id, 0) + 1
            PollOption.objects.filter(poll_id=poll_id, position=choice).update(
                votes_count=Greatest(F("votes_count") - 1, 0)
            )
        for poll_id, count in per_poll.items():
            Poll.objects.filter(pk=poll_id).update(
                votes_count=Greatest(F("votes_count") - count, 0),
                voters_count=Greatest(F("voters_count") - 1, 0),
            )
        PollVote.objects.filter(account=profile).delete()
    return len(rows)
