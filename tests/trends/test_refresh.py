"""The computation: who counts, the floor, the score, and reviews asked for."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from staffroom.moderation.services import account_limit, status_remove
from staffroom.posts.models import Tag, Visibility
from staffroom.posts.services import favourite_create, reblog_create
from staffroom.profiles.professional import privacy_update
from staffroom.trends.models import StatusReview, Trend, TrendKind
from staffroom.trends.services import trends_refresh

pytestmark = pytest.mark.django_db


def _tag_trend(name: str) -> Any:
    return Trend.objects.filter(kind=TrendKind.TAG, tag__normalized=name).first()


def test_many_accounts_beat_one_account_posting_a_lot(teachers, post):
    for teacher in teachers[:4]:
        post(teacher, "Exit tickets today #mathchat")
    for number in range(30):
        post(teachers[5], f"Again {number} #spamchat")
    trends_refresh()
    assert _tag_trend("mathchat").accounts == 4
    assert _tag_trend("mathchat").uses == 4
    assert _tag_trend("spamchat") is None  # one account, under the floor


def test_the_floor_is_a_setting(teachers, post, settings):
    for teacher in teachers[:2]:
        post(teacher, "Two of us #scichat")
    trends_refresh()
    assert _tag_trend("scichat") is None
    settings.STAFFROOM_TRENDS_MIN_ACCOUNTS = 2
    trends_refresh()
    assert _tag_trend("scichat").accounts == 2


def test_history_has_seven_days_today_first(teachers, post):
    for teacher in teachers[:3]:
        post(teacher, "Hi #edchat")
    trends_refresh()
    history = _tag_trend("edchat").history
    assert len(history) == 7
    assert history[0]["accounts"] == "3"
    assert history[0]["uses"] == "3"
    assert int(history[0]["day"]) > int(history[1]["day"])
    assert {day["accounts"] for day in history[1:]} == {"0"}


def test_older_talk_scores_less_and_leaves_the_window(teachers, post):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=3), tick=False):
        for teacher in teachers[:3]:
            post(teacher, "Earlier #oldchat")
    for teacher in teachers[3:6]:
        post(teacher, "Now #newchat")
    trends_refresh()
    assert _tag_trend("newchat").score > _tag_trend("oldchat").score > 0
    trends_refresh(now=now + timedelta(days=8))
    assert _tag_trend("newchat") is None
    assert _tag_trend("oldchat") is None


@pytest.mark.parametrize(
    "options",
    [
        {"visibility": Visibility.UNLISTED},
        {"visibility": Visibility.FOLLOWERS},
        {"visibility": Visibility.CONNECTIONS},
        {"sensitive": True},
        {"spoiler_text": "Assessment talk"},
    ],
)
def test_posts_that_are_not_public_or_are_sensitive_never_count(teachers, post, options):
    for teacher in teachers[:4]:
        post(teacher, "Hidden #quietchat https://blog.example/quiet", **options)
    trends_refresh()
    assert not Trend.objects.exists()


def test_limited_suspended_and_removed_never_count(teachers, post, moderator):
    statuses = [post(teacher, "Hi #edchat") for teacher in teachers[:4]]
    account_limit(actor=moderator, account_id=teachers[0].pk)
    status_remove(actor=moderator, status_id=statuses[1].pk)
    trends_refresh()
    assert _tag_trend("edchat") is None  # two accounts left, under the floor


def test_reshares_do_not_count_as_uses_of_a_hashtag(teachers, post):
    original = post(teachers[0], "Hi #edchat")
    for teacher in teachers[1:5]:
        reblog_create(actor=teacher, status=original)
    trends_refresh()
    assert _tag_trend("edchat") is None


def test_a_post_trends_by_the_distinct_accounts_that_favourite_or_reshare_it(teachers, post):
    status = post(teachers[0], "Our school garden project")
    favourite_create(actor=teachers[0], status=status)  # the author never counts
    favourite_create(actor=teachers[1], status=status)
    reblog_create(actor=teachers[1], status=status)
    favourite_create(actor=teachers[2], status=status)
    reblog_create(actor=teachers[3], status=status)
    trends_refresh()
    trend = Trend.objects.get(kind=TrendKind.STATUS)
    assert (trend.status_id, trend.accounts, trend.uses) == (status.pk, 3, 4)


def test_a_reply_or_a_post_of_a_not_discoverable_author_never_trends(teachers, post):
    parent = post(teachers[4], "A question")
    reply = post(teachers[0], "A reply", in_reply_to=parent)
    privacy_update(profile=teachers[4], is_discoverable=False)
    for teacher in teachers[1:4]:
        favourite_create(actor=teacher, status=reply)
        favourite_create(actor=teacher, status=parent)
    trends_refresh()
    assert not Trend.objects.filter(kind=TrendKind.STATUS).exists()


def test_a_link_trends_by_distinct_accounts(teachers, post):
    for teacher in teachers[:3]:
        post(teacher, "Great read https://Blog.example/exit-tickets#intro")
    post(teachers[0], "Again https://blog.example/exit-tickets")
    trends_refresh()
    trend = Trend.objects.select_related("link").get(kind=TrendKind.LINK)
    assert trend.link is not None
    assert (trend.link.url, trend.accounts, trend.uses) == (
        "https://blog.example/exit-tickets",
        3,
        4,
    )


def test_candidates_ask_for_review_once(teachers, post):
    liked = post(teachers[5], "Look")
    for teacher in teachers[:3]:
        post(teacher, "Hi #edchat https://blog.example/a")
        favourite_create(actor=teacher, status=liked)
    first = timezone.now()
    trends_refresh(now=first)
    tag = Tag.objects.get(normalized="edchat")
    assert tag.requested_review_at == first
    link = Trend.objects.get(kind=TrendKind.LINK).link
    assert link is not None
    assert link.requested_review_at == first
    assert StatusReview.objects.get(status=liked).requested_review_at == first
    trends_refresh(now=first + timedelta(minutes=10))
    tag.refresh_from_db()
    assert tag.requested_review_at == first


def test_a_removed_post_leaves_the_stored_trends_at_once(teachers, post, moderator):
    status = post(teachers[0], "Look")
    for teacher in teachers[1:4]:
        favourite_create(actor=teacher, status=status)
    trends_refresh()
    assert Trend.objects.filter(status=status).exists()
    status_remove(actor=moderator, status_id=status.pk)
    assert not Trend.objects.filter(status=status).exists()
