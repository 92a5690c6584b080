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
