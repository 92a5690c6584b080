"""Review: nothing trends until approved (unless review is off); rejected never trends."""

import pytest

from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.moderation.models import ActionKind, ModerationAction
from staffroom.moderation.services import trend_review
from staffroom.posts.models import Tag
from staffroom.posts.services import favourite_create
from staffroom.trends.models import AuthorReview, Link, TrendKind
from staffroom.trends.selectors import trending_links, trending_statuses, trending_tags
from staffroom.trends.services import trends_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def edchat(teachers, post) -> Tag:
    for teacher in teachers[:3]:
        post(teacher, "Hi #edchat https://blog.example/read")
    trends_refresh()
    return Tag.objects.get(normalized="edchat")


def _liked(teachers, post, author_index: int = 5):
    status = post(teachers[author_index], "Our garden")
    for teacher in teachers[:3]:
        favourite_create(actor=teacher, status=status)
    return status


def test_an_unreviewed_tag_never_trends_and_approval_makes_it_trend(edchat, approve):
    assert trending_tags() == []
    assert edchat.requested_review_at is not None
    approve(TrendKind.TAG, edchat.pk)
    [trend] = trending_tags()
    assert trend.tag == edchat
    edchat.refresh_from_db()
    assert edchat.trendable is True
    assert edchat.reviewed_at is not None


def test_a_rejected_tag_never_trends_even_with_review_off(edchat, approve, settings):
    approve(TrendKind.TAG, edchat.pk, "reject")
    assert trending_tags() == []
    settings.STAFFROOM_TRENDS_NEED_REVIEW = False
    assert trending_tags() == []


def test_with_review_off_an_unreviewed_candidate_trends(edchat, settings):
    settings.STAFFROOM_TRENDS_NEED_REVIEW = False
    assert [trend.tag for trend in trending_tags()] == [edchat]
    assert len(trending_links()) == 1


def test_trends_switched_off_show_nothing(edchat, approve, settings):
    approve(TrendKind.TAG, edchat.pk)
    settings.STAFFROOM_TRENDS_ENABLED = False
    assert trending_tags() == []


def test_a_link_trends_once_approved(edchat, approve):
    link = Link.objects.get()
    assert trending_links() == []
    approve(TrendKind.LINK, link.pk)
    assert [trend.link for trend in trending_links()] == [link]


def test_a_post_trends_once_approved_and_a_rejection_wins(teachers, post, approve):
    status = _liked(teachers, post)
    trends_refresh()
    assert trending_statuses(None) == []
    approve(TrendKind.STATUS, status.pk)
    assert trending_statuses(None) == [status]
    approve(TrendKind.STATUS, status.pk, "reject")
    assert trending_statuses(None) == []


def test_approving_the_author_lets_their_other_posts_trend(teachers, post, approve):
    first = _liked(teachers, post)
    trends_refresh()
    approve(TrendKind.STATUS, first.pk, "approve-author")
    assert AuthorReview.objects.get(account=teachers[5]).trendable is True
    second = _liked(teachers, post)
    trends_refresh()
    assert set(trending_statuses(None)) == {first, second}


def test_each_review_is_in_the_audit_log(edchat, approve, moderator):
    approve(TrendKind.TAG, edchat.pk)
    approve(TrendKind.LINK, Link.objects.get().pk, "reject")
    logged = list(ModerationAction.objects.order_by("id").values_list("kind", "detail"))
    assert logged == [
        (ActionKind.TREND_APPROVE, {"tag": "edchat"}),
        (ActionKind.TREND_REJECT, {"link": "https://blog.example/read"}),
    ]


def test_only_moderators_review(edchat, user):
    with pytest.raises(PermissionDenied):
        trend_review(actor=user, kind=TrendKind.TAG, item_id=edchat.pk, decision="approve")
    edchat.refresh_from_db()
    assert edchat.trendable is None


def test_a_review_of_nothing_or_of_nonsense_is_refused(edchat, moderator):
    with pytest.raises(NotFound):
        trend_review(actor=moderator, kind=TrendKind.TAG, item_id=999999, decision="approve")
    with pytest.raises(NotFound):
        trend_review(actor=moderator, kind=TrendKind.LINK, item_id="junk", decision="approve")
    with pytest.raises(ValidationFailed):
        trend_review(actor=moderator, kind="person", item_id=edchat.pk, decision="approve")
    with pytest.raises(ValidationFailed):
        trend_review(
            actor=moderator, kind=TrendKind.TAG, item_id=edchat.pk, decision="approve-author"
        )
