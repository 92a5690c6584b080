"""The demo's hashtags: each demo teacher follows the chat hashtag of their subject (and
some #edchat too) and features one or two, so the demo account's home feed shows posts
that came through a followed hashtag from people it does not follow."""

from __future__ import annotations

import random

from staffroom.core.demo import DemoContext, demo_part
from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.posts.demo import FAMILY_TALK, PARENT, ROLE_TAGS
from staffroom.posts.models import Tag
from staffroom.posts.services import tag_for_name
from staffroom.profiles.models import Profile, ProfileTerm, TermKind

GENERAL = "edchat"
DEMO_HANDLE = "demo"


def _family_tags(profiles: list[Profile]) -> dict[int, list[str]]:
    """Each teacher's chat hashtags: their subject's, then their role's, if any."""
    subjects: dict[int, list[str]] = {}
    rows = ProfileTerm.objects.filter(profile__in=profiles, kind=TermKind.SUBJECT).order_by("id")
    for profile_id, value in rows.values_list("profile_id", "value"):
        subjects.setdefault(profile_id, []).append(value)
    found = {}
    for profile in profiles:
        families = [PARENT.get(slug, slug) for slug in subjects.get(profile.pk, [])]
        family = next((name for name in families if name in FAMILY_TALK), "")
        tags = [FAMILY_TALK[family][0]]
        if profile.role in ROLE_TAGS:
            tags.append(ROLE_TAGS[profile.role])
        found[profile.pk] = tags
    return found


def _tags_by_name(names: set[str]) -> dict[str, Tag]:
    return {name: tag_for_name(name) for name in sorted(names)}


@demo_part(order=47, name="hashtags")
def demo_hashtags(context: DemoContext) -> None:
    """Follows and featured hashtags for the demo teachers, inserted in bulk (the feeds are
    rebuilt by the `derived` part that follows)."""
    rng = random.Random(f"hashtags-{context.seed}")  # noqa: S311 - demo data, not secrets
    profiles = list(Profile.objects.in_good_standing().filter(domain="").order_by("id"))
    chats = _family_tags(profiles)
    tags = _tags_by_name({GENERAL} | {name for names in chats.values() for name in names})
    follows: list[TagFollow] = []
    featured: list[FeaturedTag] = []
    for profile in profiles:
        own = chats[profile.pk]
        followed = list(own)
        if profile.handle == DEMO_HANDLE or rng.random() < 0.5:
            followed.append(GENERAL)
        follows.extend(TagFollow(profile=profile, tag=tags[n]) for n in dict.fromkeys(followed))
        featured.extend(
            FeaturedTag(profile=profile, tag=tags[n]) for n in own[: rng.choice((1, 2))]
        )
    TagFollow.objects.bulk_create(follows, ignore_conflicts=True)
    FeaturedTag.objects.bulk_create(featured, ignore_conflicts=True)
    context.bulk_loaded(TagFollow, FeaturedTag)
    context.log(f"demo: {len(follows)} hashtag follows, {len(featured)} featured hashtags")
