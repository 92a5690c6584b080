"""Mastodon's hashtag routes through the real API stack: shapes, scopes, paging, bad input
and who may change what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.hashtags.services import featured_tag_add, tag_follow
from staffroom.posts.models import Tag, Visibility
from tests.factories import make_post
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

TAG_KEYS = {"id", "name", "url", "history"}
FEATURED_KEYS = {"id", "name", "url", "statuses_count", "last_status_at"}
BAD_PATH_NAMES = ["C++", "x" * 101, "x" * 10_000, "ed%20chat", "%23"]


def test_a_used_tag_answers_its_history_signed_out(client, ada, bo):
    make_post(ada, "One #EdChat")
    make_post(bo, "Two #edchat")
    make_post(bo, "Hidden #edchat", visibility=Visibility.FOLLOWERS)
    response = client.get("/api/v1/tags/EDCHAT")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == TAG_KEYS
    assert body["name"] == "EdChat"
    assert body["url"].endswith("/tags/EdChat")
    assert len(body["history"]) == 7
    today = body["history"][0]
    assert (today["uses"], today["accounts"]) == ("2", "2")
    assert int(today["day"]) > int(body["history"][1]["day"])
    assert all(day["uses"] == "0" for day in body["history"][1:])


def test_an_unused_valid_name_answers_an_entity_without_creating_it(client, ada):
    body = client.get("/api/v1/tags/neverused", **bearer(ada)).json()
    assert body["id"] == ""
    assert body["name"] == "neverused"
    assert [day["uses"] for day in body["history"]] == ["0"] * 7
    assert body["following"] is False
    assert body["featuring"] is False
    assert not Tag.objects.exists()


@pytest.mark.parametrize("name", BAD_PATH_NAMES)
def test_a_name_that_cannot_be_a_hashtag_is_a_clear_404(client, ada, name):
    for response in (
        client.get(f"/api/v1/tags/{name}"),
        client.post(f"/api/v1/tags/{name}/follow", **bearer(ada)),
        client.post(f"/api/v1/tags/{name}/unfollow", **bearer(ada)),
    ):
        assert response.status_code == 404
        assert "hashtag" in response.json()["error"]
    assert not TagFollow.objects.exists()


def test_a_nul_in_a_hashtag_name_is_refused_before_the_route(client, ada):
    for response in (
        client.get("/api/v1/tags/a%00b"),
        client.post("/api/v1/tags/a%00b/follow", **bearer(ada)),
        call(client, "POST", "/api/v1/featured_tags", bearer(ada), {"name": "a\x00b"}),
    ):
        assert response.status_code == 400
        assert "NUL" in response.json()["error"]
    assert not TagFollow.objects.exists()
    assert not FeaturedTag.objects.exists()


def test_follow_and_unfollow_answer_the_tag(client, ada):
    body = client.post("/api/v1/tags/%23MathChat/follow", **bearer(ada)).json()
    assert (body["name"], body["following"]) == ("MathChat", True)
    again = client.post("/api/v1/tags/mathchat/follow", **bearer(ada)).json()
    assert again["id"] == body["id"]
    gone = client.post("/api/v1/tags/MATHCHAT/unfollow", **bearer(ada)).json()
    assert gone["following"] is False
    assert client.post("/api/v1/tags/MATHCHAT/unfollow", **bearer(ada)).status_code == 200


def test_following_needs_write_follows(client, ada):
    assert client.post("/api/v1/tags/edchat/follow").status_code == 401
    refused = client.post("/api/v1/tags/edchat/follow", **bearer(ada, "read write:statuses"))
    assert refused.status_code == 403
    assert "error" in refused.json()
    allowed = client.post("/api/v1/tags/edchat/follow", **bearer(ada, "write:follows"))
    assert allowed.status_code == 200


def test_followed_tags_are_paged_with_link_headers(client, ada, bo):
    for name in ("one", "two", "three"):
        tag_follow(actor=ada, name=name)
    tag_follow(actor=bo, name="other")
    first = client.get("/api/v1/followed_tags?limit=2", **bearer(ada, "read:follows"))
    assert [tag["name"] for tag in first.json()] == ["three", "two"]
    assert all(tag["following"] for tag in first.json())
    after = link_params(first)["next"]
    rest = client.get(f"/api/v1/followed_tags?{after}", **bearer(ada, "read:follows"))
    assert [tag["name"] for tag in rest.json()] == ["one"]
    assert client.get("/api/v1/followed_tags").status_code == 401
    junk = client.get("/api/v1/followed_tags?max_id=99999999999999999999", **bearer(ada))
    assert junk.status_code == 200


def test_a_page_of_followed_tags_costs_the_same_queries_whatever_its_size(client, ada):
    headers = bearer(ada)
    tag_follow(actor=ada, name="first")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/followed_tags", **headers)
    for number in range(15):
        tag_follow(actor=ada, name=f"more{number}")
        make_post(ada, f"Using #more{number}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/followed_tags", **headers).json()) == 16
    assert len(many) == len(one)


def test_featured_tags_round_trip(client, ada):
    make_post(ada, "Fractions #mathchat")
    made = call(client, "POST", "/api/v1/featured_tags", bearer(ada), {"name": "#MathChat"})
    assert made.status_code == 200
    body = made.json()
    assert set(body) == FEATURED_KEYS
    assert (body["name"], body["statuses_count"]) == ("mathchat", "1")
    assert body["last_status_at"] is not None
    listed = client.get("/api/v1/featured_tags", **bearer(ada, "read:accounts")).json()
    assert [row["id"] for row in listed] == [body["id"]]
    form = client.post("/api/v1/featured_tags", {"name": "scichat"}, **bearer(ada))
    assert form.json()["name"] == "scichat"
    deleted = client.delete(f"/api/v1/featured_tags/{body['id']}", **bearer(ada))
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert [row.tag.name for row in FeaturedTag.objects.select_related("tag")] == ["scichat"]


@pytest.mark.parametrize("name", ["", "C++", "x" * 10_000, None])
def test_featuring_a_bad_name_is_a_422(client, ada, name):
    response = call(client, "POST", "/api/v1/featured_tags", bearer(ada), {"name": name})
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")


def test_nobody_changes_another_teachers_featured_tags(client, ada, bo):
    row = featured_tag_add(actor=ada, name="edchat")
    for target in (str(row.pk), "99999999999999999999", "abc"):
        response = client.delete(f"/api/v1/featured_tags/{target}", **bearer(bo))
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert FeaturedTag.objects.filter(pk=row.pk).exists()
    assert client.delete(f"/api/v1/featured_tags/{row.pk}").status_code == 401
    read_only = client.delete(f"/api/v1/featured_tags/{row.pk}", **bearer(ada, "read"))
    assert read_only.status_code == 403


def test_suggestions_are_the_teachers_most_used_tags_not_yet_featured(client, ada, bo):
    make_post(ada, "#fractions #mathchat")
    make_post(ada, "#mathchat again")
    make_post(ada, "#featured already")
    make_post(bo, "#bostag")
    featured_tag_add(actor=ada, name="featured")
    body = client.get("/api/v1/featured_tags/suggestions", **bearer(ada)).json()
    assert [tag["name"] for tag in body] == ["mathchat", "fractions"]
    assert all(set(tag) == TAG_KEYS | {"following", "featuring"} for tag in body)


def test_an_accounts_featured_tags_are_public(client, ada):
    make_post(ada, "#scichat lab day")
    featured_tag_add(actor=ada, name="SciChat")
    body = client.get(f"/api/v1/accounts/{ada.pk}/featured_tags").json()
    assert [(row["name"], row["statuses_count"]) for row in body] == [("scichat", "1")]
    for junk in ("99999999999999999999", "abc"):
        assert client.get(f"/api/v1/accounts/{junk}/featured_tags").status_code == 404


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/tags/{name}",
        "/api/v1/tags/{name}/follow",
        "/api/v1/tags/{name}/unfollow",
        "/api/v1/tags/{name}/feature",
        "/api/v1/tags/{name}/unfeature",
        "/api/v1/followed_tags",
        "/api/v1/featured_tags",
        "/api/v1/featured_tags/suggestions",
        "/api/v1/featured_tags/{id}",
        "/api/v1/accounts/{id}/featured_tags",
    ):
        assert path in paths


def test_feature_and_unfeature_by_name(client, ada):
    body = client.post("/api/v1/tags/%23ELAchat/feature", **bearer(ada)).json()
    assert (body["name"], body["featuring"]) == ("ELAchat", True)
    assert FeaturedTag.objects.filter(profile=ada).count() == 1
    body = client.post("/api/v1/tags/elachat/unfeature", **bearer(ada)).json()
    assert body["featuring"] is False
    assert not FeaturedTag.objects.exists()
    assert client.post("/api/v1/tags/neverused/unfeature", **bearer(ada)).json()["id"] == ""
    assert client.post("/api/v1/tags/C++/feature", **bearer(ada)).status_code == 404
    refused = client.post("/api/v1/tags/edchat/feature", **bearer(ada, "write:follows"))
    assert refused.status_code == 403
