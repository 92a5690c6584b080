"""Writes of hashtag follows and featured hashtags.

The name a teacher gives is checked by the rules posts use for hashtags
(`posts.services.tag_name_clean`) and matched by its normal form, so following `#EdChat`
follows the tag a post writes as `#edchat`. Following a tag nobody used yet creates it (as
Mastodon does), through posts, which owns tags. Following and unfollowing are idempotent;
each change emits `TagFollowed` / `TagUnfollowed`, on which stored feeds act
(timelines/subscribers.py).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staffroom.core.events import TagFollowed, TagUnfollowed, emit
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.hashtags import normalize_tag
from staffroom.core.ids import id_or_not_found
from staffroom.hashtags.models import FEATURED_TAGS_MAX, FeaturedTag, TagFollow
from staffroom.posts.models import Tag
from staffroom.posts.services import tag_for_name, tag_name_clean
from staffroom.profiles.models import Profile


def tag_follow(*, actor: Profile, name: str) -> Tag:
    """`actor` follows hashtag `name` (created if new); following it again changes nothing.
    ValidationFailed for a name that cannot be a hashtag."""
    with transaction.atomic():
        tag = tag_for_name(name)
        if not TagFollow.objects.filter(profile=actor, tag=tag).exists():
            try:
                with transaction.atomic():
                    TagFollow.objects.create(profile=actor, tag=tag)
            except IntegrityError:  # a concurrent request followed it first
                return tag
            emit(TagFollowed(profile_id=actor.pk, tag_id=tag.pk))
    return tag


def tag_unfollow(*, actor: Profile, name: str) -> Tag | None:
    """`actor` stops following hashtag `name`; the tag (None if no post or follow ever used
    it). Unfollowing a tag one does not follow changes nothing."""
    tag_name_clean(name)
    with transaction.atomic():
        tag = Tag.objects.filter(normalized=normalize_tag(name)).first()
        if tag is None:
            return None
        follows_end(actor, [tag.pk])
    return tag


def follows_end(actor: Profile, tag_ids: list[int]) -> None:
    """End `actor`'s follows of `tag_ids` (those that exist), one TagUnfollowed each. Call
    inside a transaction."""
    ended = list(
        TagFollow.objects.filter(profile=actor, tag_id__in=tag_ids).values_list("tag_id", flat=True)
    )
    TagFollow.objects.filter(profile=actor, tag_id__in=ended).delete()
    for tag_id in ended:
        emit(TagUnfollowed(profile_id=actor.pk, tag_id=tag_id))


def featured_tag_add(*, actor: Profile, name: str) -> FeaturedTag:
    """Feature hashtag `name` on `actor`'s profile (created if new; featuring it again
    returns the same row). ValidationFailed for a bad name or past FEATURED_TAGS_MAX."""
    with transaction.atomic():
        tag = tag_for_name(name)
        found = FeaturedTag.objects.filter(profile=actor, tag=tag).select_related("tag").first()
        if found is not None:
            return found
        if FeaturedTag.objects.filter(profile=actor).count() >= FEATURED_TAGS_MAX:
            raise ValidationFailed(
                _("Validation failed: you can feature at most %(max)d hashtags")
                % {"max": FEATURED_TAGS_MAX}
            )
        try:
            with transaction.atomic():
                return FeaturedTag.objects.create(profile=actor, tag=tag)
        except IntegrityError:  # featured meanwhile by a concurrent request
            return FeaturedTag.objects.select_related("tag").get(profile=actor, tag=tag)


def featured_tag_remove(*, actor: Profile, featured_tag_id: object) -> None:
    """Stop featuring one of `actor`'s featured hashtags. NotFound for an id that is not one
    of theirs (someone else's answers the same as none)."""
    pk = id_or_not_found(featured_tag_id)
    with transaction.atomic():
        deleted, _rows = FeaturedTag.objects.filter(pk=pk, profile=actor).delete()
    if not deleted:
        raise NotFound("Record not found")


def featured_tag_remove_by_name(*, actor: Profile, name: str) -> Tag | None:
    """Stop featuring hashtag `name` (Mastodon 4.4's unfeature); the tag, None if no post
    or follow ever used it. Not featuring it already changes nothing."""
    tag_name_clean(name)
    with transaction.atomic():
        tag = Tag.objects.filter(normalized=normalize_tag(name)).first()
        if tag is not None:
            FeaturedTag.objects.filter(profile=actor, tag=tag).delete()
    return tag


def hashtags_of_profile_delete(profile: Profile) -> None:
    """A leaving teacher's follows and featured hashtags (follows end with their events)."""
    with transaction.atomic():
        followed = TagFollow.objects.filter(profile=profile).values_list("tag_id", flat=True)
        follows_end(profile, list(followed))
        FeaturedTag.objects.filter(profile=profile).delete()
