"""The demo's trends: computed once the posts are in, then the chat hashtags, the shared
links and the best few posts approved by the demo's moderator,
so a newcomer sees trends on Explore and home at once."""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.hashtags import normalize_tag
from staffroom.moderation.services import trend_review
from staffroom.posts.demo import FAMILY_TALK, GENERAL_TAGS, ROLE_TAGS
from staffroom.trends.models import TrendKind
from staffroom.trends.selectors import review_rows
from staffroom.trends.services import trends_refresh

DEMO_MODERATOR = "demo_moderator"
POSTS_APPROVED = 5


def chat_tags() -> set[str]:
    names = {talk[0] for talk in FAMILY_TALK.values()} | set(GENERAL_TAGS) | set(ROLE_TAGS.values())
    return {normalize_tag(name) for name in names}


@demo_part(order=72, name="trends")
def demo_trends(context: DemoContext) -> None:
    counts = trends_refresh()
    moderator = User.objects.filter(profile__handle=DEMO_MODERATOR).first()
    if moderator is None:
        return
    chat = chat_tags()
    for row in review_rows(TrendKind.TAG):
        if row.trend.tag is not None and row.trend.tag.normalized in chat:
            trend_review(
                actor=moderator, kind=TrendKind.TAG, item_id=row.trend.tag.pk, decision="approve"
            )
    for row in review_rows(TrendKind.LINK):
        trend_review(
            actor=moderator, kind=TrendKind.LINK, item_id=row.trend.link_id, decision="approve"
        )
    for row in review_rows(TrendKind.STATUS)[:POSTS_APPROVED]:
        trend_review(
            actor=moderator, kind=TrendKind.STATUS, item_id=row.trend.status_id, decision="approve"
        )
    context.log(f"demo: trends computed ({counts}), chat hashtags approved")
