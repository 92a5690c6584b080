import pytest

from staffroom.posts.models import Tag
from staffroom.search.selectors import search
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


def names(text, **options):
    return [tag.name for tag in search(None, text, kinds=["hashtags"], **options).hashtags]


def test_hashtags_by_prefix_exact_first_then_most_used():
    ada = make_profile("ada")
    make_post(ada, "#MathChat one")
    make_post(ada, "#mathchat two")
    make_post(ada, "#mathsquad")
    make_post(ada, "#Math")
    assert names("Math") == ["Math", "MathChat", "mathsquad"]
    assert names("#mathc") == ["MathChat"]
    assert names("café") == []


def test_hashtags_of_a_phrase_read_as_one_tag():
    make_post(make_profile("ada"), "#InquiryRatios and #ratios")
    assert set(names("inquiry ratios")) == {"InquiryRatios", "ratios"}


def test_exclude_unreviewed_keeps_reviewed_tags():
    make_post(make_profile("ada"), "#mathchat #mathsquad")
    Tag.objects.filter(normalized="mathchat").update(
        trendable=True, reviewed_at="2026-01-01T00:00Z"
    )
    assert names("math", exclude_unreviewed=True) == ["mathchat"]


def test_hashtag_search_ignores_symbols():
    make_post(make_profile("ada"), "#edchat")
    assert names("#") == []
    assert names("*") == []
    assert names("#edchat") == ["edchat"]


def test_a_tag_written_only_in_private_posts_is_not_found_by_prefix():
    ada = make_profile("ada")
    stranger = make_profile("stan")
    make_post(ada, "About #JaneDoeIEP today", visibility="followers")
    make_post(ada, "And #JaneDoePlan", visibility="direct")
    assert names("janedoe") == []
    assert [t.name for t in search(stranger, "janedoe", kinds=["hashtags"]).hashtags] == []
    make_post(ada, "Now in public: #JaneDoePlan")
    assert names("janedoe") == ["JaneDoePlan"]


def test_a_removed_or_limited_public_use_does_not_make_a_tag_findable():
    from staffroom.profiles.standing import profile_limit

    ada = make_profile("ada")
    make_post(ada, "#secretstaffroom")
    profile_limit(profile=ada)
    assert names("secretstaff") == []


def test_a_teacher_finds_the_tags_they_follow_even_unused():
    from staffroom.hashtags.services import tag_follow

    ada = make_profile("ada")
    tag_follow(actor=ada, name="QuietTopic")
    assert [t.name for t in search(ada, "quiet", kinds=["hashtags"]).hashtags] == ["QuietTopic"]
    assert names("quiet") == []


def test_public_uses_order_tags_not_private_ones():
    ada = make_profile("ada")
    for _ in range(3):
        make_post(ada, "#mathquiet", visibility="followers")
    make_post(ada, "#mathquiet in public")
    make_post(ada, "#mathloud one")
    make_post(ada, "#mathloud two")
    assert names("math") == ["mathloud", "mathquiet"]
