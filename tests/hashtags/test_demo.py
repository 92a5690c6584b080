"""The demo's hashtags: teachers follow their subject's chat hashtag and feature one or
two; the demo account's home shows posts that only a followed hashtag brought."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from staffroom.graph.models import Follow
from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.profiles.models import Profile
from staffroom.timelines.models import FeedEntry


@pytest.mark.django_db
def test_demo_teachers_follow_and_feature_hashtags_and_the_demo_home_shows_them():
    call_command("demo", "--users", "30", "--seed", "5")
    demo = Profile.objects.get(handle="demo")
    followed = set(TagFollow.objects.filter(profile=demo).values_list("tag__normalized", flat=True))
    assert "edchat" in followed
    following = set(TagFollow.objects.values_list("profile_id", flat=True))
    assert len(following) >= 25  # the teachers in good standing when the part ran
    featured = Counter(FeaturedTag.objects.values_list("profile_id", flat=True))
    assert featured
    assert set(featured.values()) <= {1, 2}
    followees = Follow.objects.filter(follower=demo).values("followee_id")
    through_tags = (
        FeedEntry.objects.filter(
            owner=demo, list__isnull=True, status__tags__normalized__in=followed
        )
        .exclude(author_id=demo.pk)
        .exclude(author_id__in=followees)
    )
    assert through_tags.exists()
