"""'inquiry ratios' for three teachers who may see different things."""

import pytest

from staffroom.graph.services import block_create, follow_create
from staffroom.posts.services import favourite_create
from staffroom.profiles.professional import privacy_update
from staffroom.profiles.services import profile_update
from staffroom.search.selectors import search
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    """Ada writes about inquiry and ratios; Bo follows her; Cy is a stranger; Dee, who also
    writes about it, blocked Cy; Eve keeps her posts out of search."""
    ada = make_profile("ada", display_name="Ada Lovelace", practices=["inquiry-based-learning"])
    profile_update(profile=ada, note="Grade 7 math: ratios through inquiry")
    bo, cy = make_profile("bo"), make_profile("cy")
    dee = make_profile("dee", display_name="Dee, ratios and inquiry")
    eve = make_profile("eve")
    privacy_update(profile=eve, is_indexable=False)
    follow_create(actor=bo, target=ada)
    block_create(actor=dee, target=cy)
    posts = {
        "public": make_post(ada, "Inquiry ratios: students discover the rule #InquiryRatios"),
        "followers": make_post(ada, "Inquiry ratios, draft for followers", visibility="followers"),
        "mention": make_post(ada, "@bo inquiry ratios plan for us", visibility="direct"),
        "dee": make_post(dee, "Inquiry ratios with paint mixing #ratios"),
        "eve": make_post(eve, "My inquiry ratios notes"),
        "other": make_post(ada, "Nothing to do with it"),
    }
    favourite_create(actor=bo, status=posts["eve"])
    return {"ada": ada, "bo": bo, "cy": cy, "dee": dee, "eve": eve, "posts": posts}


def _read(viewer, school):
    results = search(viewer, "inquiry ratios")
    ids = {status.pk for status in results.statuses}
    posts = {name for name, status in school["posts"].items() if status.pk in ids}
    return (
        {profile.handle for profile in results.accounts},
        posts,
        {t.name for t in results.hashtags},
    )


def test_the_author_finds_her_own_posts_and_the_people(school):
    people, posts, tags = _read(school["ada"], school)
    assert people == {"ada", "dee"}
    assert posts == {"public", "followers", "mention", "dee"}
    assert tags == {"InquiryRatios", "ratios"}


def test_a_follower_finds_the_posts_that_involve_him(school):
    people, posts, tags = _read(school["bo"], school)
    assert people == {"ada", "dee"}
    # the followers-only post is not his (Mastodon 4.2); the mention and the favourite are
    assert posts == {"public", "mention", "dee", "eve"}
    assert tags == {"InquiryRatios", "ratios"}


def test_a_stranger_blocked_by_one_author_finds_only_public_indexed_posts(school):
    people, posts, tags = _read(school["cy"], school)
    assert people == {"ada"}
    assert posts == {"public"}
    assert tags == {"InquiryRatios", "ratios"}
