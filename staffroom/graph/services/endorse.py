"""Endorsements ("Recommended colleagues" on a profile) and private account notes, as
Mastodon's `/accounts/:id/pin` and `/accounts/:id/note`.

An endorsement is a mark on the follow row (`Follow.endorsed_at`): only a followed account
can be endorsed, and unfollowing (or a block, which ends the follow) ends it. A note is
the author's own: it is never shown to its subject nor to anyone else.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import ACCOUNT_NOTE_MAX_LENGTH, AccountNote, Follow
from staffroom.graph.services._common import require_other
from staffroom.profiles.models import Profile

ENDORSEMENTS_MAX = 80  # a profile's "Recommended colleagues" stay a short list


@transaction.atomic
def endorsement_create(*, actor: Profile, target: Profile) -> Follow:
    """`actor` features `target` on their profile. Idempotent (endorsing again keeps the
    first date). ValidationFailed (422, as Mastodon) for oneself, for an account `actor`
    does not follow, and beyond ENDORSEMENTS_MAX."""
    require_other(actor, target, _("You cannot endorse yourself."))
    follow = Follow.objects.select_for_update().filter(follower=actor, followee=target).first()
    if follow is None:
        raise ValidationFailed(
            _("Validation failed: you must already follow the person you want to endorse")
        )
    if follow.endorsed_at is None:
        endorsed = Follow.objects.filter(follower=actor, endorsed_at__isnull=False).count()
        if endorsed >= ENDORSEMENTS_MAX:
            raise ValidationFailed(
                _("Validation failed: you can endorse at most %(max)d accounts")
                % {"max": ENDORSEMENTS_MAX}
            )
        follow.endorsed_at = timezone.now()
        follow.save(update_fields=["endorsed_at"])
    return follow


@transaction.atomic
def endorsement_delete(*, actor: Profile, target: Profile) -> bool:
    """`actor` stops featuring `target`. Idempotent: False when there was no endorsement."""
    updated = Follow.objects.filter(
        follower=actor, followee=target, endorsed_at__isnull=False
    ).update(endorsed_at=None)
    return bool(updated)


@transaction.atomic
def account_note_set(*, actor: Profile, target: Profile, comment: str) -> str:
    """`actor`'s private note on `target` (at most 2,000 characters; blank removes it).
    Returns the note kept. ValidationFailed for oneself and for a note too long."""
    require_other(actor, target, _("You cannot write a note about yourself."))
    comment = (comment or "").strip()
    if len(comment) > ACCOUNT_NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: a note is at most %(max)d characters")
            % {"max": ACCOUNT_NOTE_MAX_LENGTH}
        )
    if not comment:
        AccountNote.objects.filter(author=actor, target=target).delete()
        return ""
    AccountNote.objects.update_or_create(author=actor, target=target, defaults={"comment": comment})
    return comment
