import pytest
from django.core.management import call_command

from staffroom.moderation.models import ActionKind, ModerationAction
from staffroom.trends.demo import chat_tags
from staffroom.trends.models import StatusLink
from staffroom.trends.selectors import trending_statuses, trending_tags


@pytest.mark.django_db
def test_the_demo_has_approved_chat_hashtags_trending(client):
    call_command("demo", "--users", "40", "--seed", "3")
    tags = trending_tags()
    assert tags
    assert {trend.tag.normalized for trend in tags if trend.tag} <= chat_tags()
    assert min(trend.accounts for trend in tags) >= 3
    assert trending_statuses(None)
    assert StatusLink.objects.exists()  # read after the bulk load
    assert ModerationAction.objects.filter(kind=ActionKind.TREND_APPROVE).exists()
    best = tags[0].tag
    assert best is not None
    assert f'href="/tags/{best.name}"' in client.get("/explore").content.decode()
