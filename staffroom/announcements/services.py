"""Writes of announcements. Administrators publish, edit, unpublish and delete them
(`moderation.roles.require_admin`); every teacher dismisses them and reacts to them.
Publishing (and editing a published one) emits `AnnouncementPublished`, unpublishing or
deleting a published one `AnnouncementWithdrawn`, a reaction added or taken back
`AnnouncementReacted`; streaming tells open `user` streams (streaming/subscribers.py).

Reading, dismissing and reacting only reach announcements in force (published and not
ended): any other id answers NotFound, as an unknown one does. A reaction is a Unicode
emoji or the shortcode of an enabled custom emoji (`emojis`); anything else is a
ValidationFailed (422), as is an account's ninth reaction to one announcement.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.accounts.models import User
from staffroom.announcements.models import (
    REACTION_NAME_MAX_LENGTH,
    REACTIONS_PER_ACCOUNT_MAX,
    TEXT_MAX_LENGTH,
    Announcement,
    AnnouncementReaction,
    AnnouncementRead,
)
from staffroom.announcements.selectors import active_announcement
from staffroom.core.events import (
    AnnouncementPublished,
    AnnouncementReacted,
    AnnouncementWithdrawn,
    emit,
)
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.html import render_markdown
from staffroom.core.ids import id_or_not_found
from staffroom.emojis.selectors import emoji_named
from staffroom.moderation.roles import require_admin
from staffroom.profiles.models import Profile

# Joiners, variation selectors, the keycap mark and tag characters that build emoji
# sequences (👩‍🏫, 1️⃣, flags of regions) around the symbols themselves.
_EMOJI_JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
_KEYCAP_BASES = frozenset("0123456789#*")


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Validation failed: Text can't be blank"))
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: Text is at most %(count)d characters")
            % {"count": TEXT_MAX_LENGTH}
        )
    return text


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if (starts_at is None) != (ends_at is None):
        raise ValidationFailed(
            _("Validation failed: an event needs both its start and its end, or neither")
        )
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise ValidationFailed(_("Validation failed: the end comes before the start"))


@transaction.atomic
def announcement_create(
    *,
    actor: User,
    text: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    all_day: bool = False,
    publish: bool = True,
) -> Announcement:
    """A new announcement (Markdown `text`, rendered and sanitized as posts are), published
    now unless `publish` is False (a draft). PermissionDenied unless an administrator;
    ValidationFailed for blank or long text or bad times."""
    require_admin(actor)
    text = _clean_text(text)
    _check_times(starts_at, ends_at)
    announcement = Announcement.objects.create(
        text=text,
        content=render_markdown(text),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        published_at=timezone.now() if publish else None,
    )
    if publish:
        emit(AnnouncementPublished(announcement_id=announcement.pk))
    return announcement


def _announcement(announcement_id: object) -> Announcement:
    found = (
        Announcement.objects.select_for_update().filter(pk=id_or_not_found(announcement_id)).first()
    )
    if found is None:
        raise NotFound("Record not found")
    return found


@transaction.atomic
def announcement_update(
    *,
    actor: User,
    announcement_id: object,
    text: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    all_day: bool = False,
) -> Announcement:
    """Change an announcement's text and times (its reads and reactions stay)."""
    require_admin(actor)
    announcement = _announcement(announcement_id)
    announcement.text = _clean_text(text)
    _check_times(starts_at, ends_at)
    announcement.content = render_markdown(announcement.text)
    announcement.starts_at, announcement.ends_at = starts_at, ends_at
    announcement.all_day = all_day
    announcement.save()
    if announcement.published_at is not None:
        emit(AnnouncementPublished(announcement_id=announcement.pk))
    return announcement


@transaction.atomic
def announcement_publish(*, actor: User, announcement_id: object, publish: bool) -> Announcement:
    """Publish a draft (now) or take a published announcement back (a draft again)."""
    require_admin(actor)
    announcement = _announcement(announcement_id)
    was_published = announcement.published_at is not None
    if publish and not was_published:
        announcement.published_at = timezone.now()
        emit(AnnouncementPublished(announcement_id=announcement.pk))
    elif not publish:
        announcement.published_at = None
        if was_published:
            emit(AnnouncementWithdrawn(announcement_id=announcement.pk))
    announcement.save(update_fields=["published_at", "updated_at"])
    return announcement


@transaction.atomic
def announcement_delete(*, actor: User, announcement_id: object) -> None:
    """Delete an announcement with everyone's reads and reactions."""
    require_admin(actor)
    announcement = _announcement(announcement_id)
    AnnouncementRead.objects.filter(announcement=announcement).delete()
    AnnouncementReaction.objects.filter(announcement=announcement).delete()
    if announcement.published_at is not None:
        emit(AnnouncementWithdrawn(announcement_id=announcement.pk))
    announcement.delete()


def _in_force(announcement_id: object) -> Announcement:
    announcement = active_announcement(id_or_not_found(announcement_id))
    if announcement is None:
        raise NotFound("Record not found")
    return announcement


def announcement_dismiss(*, account: Profile, announcement_id: object) -> Announcement:
    """Mark an announcement in force as read by `account` (again: nothing changes).
    NotFound for any other id."""
    announcement = _in_force(announcement_id)
    try:
        with transaction.atomic():
            AnnouncementRead.objects.get_or_create(account=account, announcement=announcement)
    except IntegrityError:  # dismissed meanwhile by a concurrent request
        pass
    return announcement


def is_unicode_emoji(name: str) -> bool:
    """One emoji, possibly a sequence (skin tone, joined people, keycap, flag); nothing
    that is a letter, digit, punctuation or space on its own."""
    if not name or len(name) > 16:
        return False
    has_symbol = False
    for char in name:
        if unicodedata.category(char) == "So" or (char in _KEYCAP_BASES and "\u20e3" in name):
            has_symbol = True
        elif not _is_emoji_modifier(ord(char)):
            return False
    return has_symbol


def _is_emoji_modifier(code: int) -> bool:
    """Skin tones, joiners, variation selectors, the keycap mark, tag characters."""
    return 0x1F3FB <= code <= 0x1F3FF or code in _EMOJI_JOINERS or 0xE0020 <= code <= 0xE007F


def reaction_name_clean(name: str) -> str:
    """`name` as stored: a Unicode emoji, or an enabled custom emoji's shortcode (colons
    dropped). ValidationFailed otherwise."""
    name = (name or "").strip()
    bare = name.strip(":")
    if len(name) <= REACTION_NAME_MAX_LENGTH:
        if is_unicode_emoji(name):
            return name
        image = emoji_named(bare)
        if image is not None:
            return image.shortcode
    raise ValidationFailed(_("Validation failed: Name is not a recognized emoji"))


def announcement_reaction_add(
    *, account: Profile, announcement_id: object, name: str
) -> AnnouncementReaction:
    """`account` reacts to an announcement in force with `name` (again: the same row).
    NotFound for any other id; ValidationFailed for an unknown emoji or a ninth reaction."""
    announcement = _in_force(announcement_id)
    name = reaction_name_clean(name)
    with transaction.atomic():
        mine = AnnouncementReaction.objects.filter(account=account, announcement=announcement)
        found = mine.filter(name=name).first()
        if found is not None:
            return found
        if mine.count() >= REACTIONS_PER_ACCOUNT_MAX:
            raise ValidationFailed(
                _("Validation failed: at most %(count)d reactions to one announcement")
                % {"count": REACTIONS_PER_ACCOUNT_MAX}
            )
        try:
            with transaction.atomic():
                reaction = AnnouncementReaction.objects.create(
                    account=account, announcement=announcement, name=name
                )
                emit(AnnouncementReacted(announcement_id=announcement.pk, name=name))
                return reaction
        except IntegrityError:  # added meanwhile by a concurrent request
            return AnnouncementReaction.objects.get(
                account=account, announcement=announcement, name=name
            )


def announcement_reaction_remove(*, account: Profile, announcement_id: object, name: str) -> None:
    """Take back `account`'s reaction `name`. NotFound for an announcement not in force or
    a reaction they did not make (as Mastodon)."""
    announcement = _in_force(announcement_id)
    bare = (name or "").strip()
    with transaction.atomic():
        mine = AnnouncementReaction.objects.filter(
            account=account, announcement=announcement, name__in={bare, bare.strip(":")}
        )
        names = list(mine.values_list("name", flat=True))
        if not names:
            raise NotFound("Record not found")
        mine.delete()
        for gone in names:
            emit(AnnouncementReacted(announcement_id=announcement.pk, name=gone))


def announcements_of_profile_delete(profile: Profile) -> None:
    """A leaving teacher's reads and reactions."""
    with transaction.atomic():
        AnnouncementRead.objects.filter(account=profile).delete()
        AnnouncementReaction.objects.filter(account=profile).delete()
