"""`/api/v1/timelines/tag/:hashtag` with Mastodon's `any[]`, `all[]` and `none[]`."""

from __future__ import annotations

import pytest

from tests.timelines.test_api_helpers import ids

pytestmark = pytest.mark.django_db

PATH = "/api/v1/timelines/tag/edchat"


@pytest.fixture
def posts(ada, bo, publish):
    return {
        "edchat": publish(ada, "#edchat alone"),
        "both": publish(bo, "#EdChat and #MathChat"),
        "math": publish(bo, "#mathchat alone"),
        "sci": publish(ada, "#scichat alone"),
        "hidden": publish(ada, "#mathchat followers only", visibility="followers"),
    }


def _names(response, posts) -> list[str]:
    by_id = {str(status.pk): name for name, status in posts.items()}
    return [by_id[found] for found in ids(response)]


def test_any_adds_posts_with_other_tags(client, posts):
    response = client.get(f"{PATH}?any[]=MATHCHAT&any[]=scichat")
    assert _names(response, posts) == ["sci", "math", "both", "edchat"]


def test_all_keeps_posts_with_every_tag(client, posts):
    assert _names(client.get(f"{PATH}?all[]=mathchat"), posts) == ["both"]
    assert _names(client.get(f"{PATH}?all[]=mathchat&all[]=scichat"), posts) == []


def test_none_leaves_out_posts_with_a_tag(client, posts):
    assert _names(client.get(f"{PATH}?none[]=%23MathChat"), posts) == ["edchat"]


def test_names_that_cannot_be_hashtags_are_ignored_in_the_lists(client, posts):
    response = client.get(f"{PATH}?any[]=C%2B%2B&all[]=&none[]=a%2Bb")
    assert _names(response, posts) == ["both", "edchat"]
    refused = client.get(f"{PATH}?any[]=C%2B%2B&none[]=a%00b")
    assert refused.status_code == 400
    assert "none[]" in refused.json()["error"]


def test_each_list_is_capped(client, posts):
    many = "&".join(f"any[]=t{number}" for number in range(11))
    response = client.get(f"{PATH}?{many}")
    assert response.status_code == 422
    assert "at most 10" in response.json()["error"]
    assert client.get(f"{PATH}?{many.rsplit('&', 1)[0]}").status_code == 200
