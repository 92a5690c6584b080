"""`/api/v1/trends/*`: shapes, limits, offsets, bad input, and the audience rule."""

import pytest

from staffroom.graph.services import block_create, mute_create
from staffroom.posts.models import Tag, Visibility
from staffroom.posts.services import favourite_create
from staffroom.trends.models import Link, TrendKind
from staffroom.trends.services import trends_refresh
from tests.factories import make_profiles
from tests.graph.test_api_helpers import bearer
from tests.timelines.test_api_helpers import STATUS_KEYS

pytestmark = pytest.mark.django_db

CARD_KEYS = {
    "url", "title", "description", "type", "author_name", "author_url", "provider_name",
    "provider_url", "html", "width", "height", "image", "image_description", "embed_url",
    "blurhash", "published_at", "history",
}  # fmt: skip


@pytest.fixture
def many_tags(teachers, post, approve) -> list[str]:
    """25 approved trending hashtags."""
    names = [f"topic{number}chat" for number in range(25)]
    for teacher in teachers[:3]:
        post(teacher, " ".join(f"#{name}" for name in names[:12]))
        post(teacher, " ".join(f"#{name}" for name in names[12:]))
    trends_refresh()
    for tag in Tag.objects.all():
        approve(TrendKind.TAG, tag.pk)
    return names


def test_tags_shape_and_history(client, teachers, post, approve):
    for teacher in teachers[:3]:
        post(teacher, "Hi #EdChat")
    trends_refresh()
    approve(TrendKind.TAG, Tag.objects.get().pk)
    response = client.get("/api/v1/trends/tags")
    assert response.status_code == 200
    [tag] = response.json()
    assert set(tag) == {"id", "name", "url", "history"}
    assert tag["name"] == "EdChat"
    assert tag["url"].endswith("/tags/EdChat")
    assert len(tag["history"]) == 7
    assert tag["history"][0] == {"day": tag["history"][0]["day"], "uses": "3", "accounts": "3"}
    assert client.get("/api/v1/trends").json() == [tag]


def test_tags_limits_and_offsets(client, many_tags):
    assert len(client.get("/api/v1/trends/tags").json()) == 10
    assert len(client.get("/api/v1/trends/tags?limit=500").json()) == 20
    assert len(client.get("/api/v1/trends/tags?limit=3").json()) == 3
    everything = [tag["name"] for tag in client.get("/api/v1/trends/tags?limit=20").json()]
    second = [tag["name"] for tag in client.get("/api/v1/trends/tags?limit=5&offset=5").json()]
    assert second == everything[5:10]
    assert client.get("/api/v1/trends/tags?offset=20&limit=20").json() != []
    assert client.get("/api/v1/trends/tags?offset=25").json() == []


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        "offset=-5",
        "offset=abc",
        "limit=-3",
        "limit=99999999999999999999999",
        "limit=x&offset=1e9",
        "limit=",
    ],
)
def test_bad_input_never_fails(client, many_tags, query):
    for path in ("/api/v1/trends/tags", "/api/v1/trends/statuses", "/api/v1/trends/links"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, response.content)
        assert isinstance(response.json(), list)


def test_links_shape(client, teachers, post, approve):
    for teacher in teachers[:3]:
        post(teacher, "Read https://blog.example/exit-tickets")
    trends_refresh()
    approve(TrendKind.LINK, Link.objects.get().pk)
    [card] = client.get("/api/v1/trends/links").json()
    assert set(card) == CARD_KEYS
    assert card["url"] == "https://blog.example/exit-tickets"
    assert (card["provider_name"], card["title"], card["type"]) == (
        "blog.example",
        "Exit tickets",
        "link",
    )
    assert card["history"][0]["accounts"] == "3"


def test_statuses_shape_and_the_audience_rule(client, teachers, post, approve):
    status = post(teachers[5], "Our garden")
    for teacher in teachers[:3]:
        favourite_create(actor=teacher, status=status)
    trends_refresh()
    approve(TrendKind.STATUS, status.pk)
    [entity] = client.get("/api/v1/trends/statuses").json()
    assert set(entity) >= STATUS_KEYS
    assert entity["id"] == str(status.pk)
    blocked = make_profiles(1, "blocked")[0]
    block_create(actor=teachers[5], target=blocked)
    seen = client.get("/api/v1/trends/statuses", **bearer(blocked, "read"))
    assert seen.status_code == 200
    assert seen.json() == []
    assert client.get("/api/v1/trends/statuses", **bearer(teachers[1], "read")).json() != []


def test_a_muted_authors_post_is_left_out_for_the_teacher_who_muted(
    client, teachers, post, approve
):
    status = post(teachers[5], "Our garden")
    for teacher in teachers[:3]:
        favourite_create(actor=teacher, status=status)
    trends_refresh()
    approve(TrendKind.STATUS, status.pk)
    mute_create(actor=teachers[1], target=teachers[5])
    assert client.get("/api/v1/trends/statuses", **bearer(teachers[1], "read")).json() == []
    others = client.get("/api/v1/trends/statuses", **bearer(teachers[2], "read")).json()
    assert [entity["id"] for entity in others] == [str(status.pk)]


def test_a_post_that_becomes_private_to_the_viewer_never_appears(client, teachers, post, approve):
    status = post(teachers[5], "Our garden")
    for teacher in teachers[:3]:
        favourite_create(actor=teacher, status=status)
    trends_refresh()
    approve(TrendKind.STATUS, status.pk)
    status.visibility = Visibility.FOLLOWERS  # as if stored trends were stale
    status.save(update_fields=["visibility"])
    assert client.get("/api/v1/trends/statuses").json() == []


def test_trends_switched_off_answer_empty_lists(client, many_tags, settings):
    settings.STAFFROOM_TRENDS_ENABLED = False
    assert client.get("/api/v1/trends/tags").json() == []
    assert client.get("/api/v1/trends/statuses").json() == []


def test_a_token_without_read_is_refused(client, many_tags, teachers):
    response = client.get("/api/v1/trends/tags", **bearer(teachers[0], "write"))
    assert response.status_code == 403
    assert "error" in response.json()


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/trends/tags", "/api/v1/trends/statuses", "/api/v1/trends/links"):
        assert path in paths
    assert "/api/v1/trends" in paths


def test_one_page_of_statuses_costs_a_bounded_number_of_queries(
    client, teachers, post, approve, django_assert_max_num_queries
):
    for number in range(4):
        status = post(teachers[5], f"Post {number}")
        for teacher in teachers[:3]:
            favourite_create(actor=teacher, status=status)
    trends_refresh()
    approve(TrendKind.STATUS, status.pk, "approve-author")
    with django_assert_max_num_queries(20):
        assert len(client.get("/api/v1/trends/statuses").json()) == 4
