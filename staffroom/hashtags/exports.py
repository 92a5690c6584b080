"""The hashtags' export part: `hashtags.json`, the hashtags a teacher follows and those
featured on their profile (docs/subsystems/hashtags.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.posts.services import tag_url
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User


@export_part(name="hashtags", version=1, order=115)
def hashtags_export(user: User, writer: ExportWriter) -> None:
    """`hashtags.json`: `followed` and `featured`, each `[{name, url, since}]`, oldest
    first."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    followed = TagFollow.objects.filter(profile=profile).select_related("tag").order_by("id")
    featured = FeaturedTag.objects.filter(profile=profile).select_related("tag").order_by("id")
    writer.write_json(
        "hashtags.json",
        {
            "followed": [
                {"name": row.tag.name, "url": tag_url(row.tag.name), "since": row.created_at}
                for row in followed
            ],
            "featured": [
                {"name": row.tag.name, "url": tag_url(row.tag.name), "since": row.created_at}
                for row in featured
            ],
        },
    )
