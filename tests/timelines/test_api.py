"""Mastodon's timelines through the real API stack: home, list, public and hashtag pages,
their pagination and Link headers, who sees what, bad input, and the query budget.

Posts are made with `posts.services.status_create` and the fan-out jobs run as a worker
would (`run_jobs`), so the home and list pages read the stored rows they will read live."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    follow_delete,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.oauth.services import personal_token_create
from staffroom.posts.models import Status
from staffroom.posts.services import reblog_create
from staffroom.profiles.models import Profile
from tests.factories import make_profiles
from tests.graph.test_api_helpers import bearer, link_params
from tests.timelines.test_api_helpers import STATUS_KEYS, ids

pytestmark = pytest.mark.django_db

Publish = Callable[..., Status]


@pytest.fixture
def follow(run_jobs) -> Callable[[Profile, Profile], None]:
    def make(follower: Profile, followee: Profile) -> None:
        follow_create(actor=follower, target=followee)
        run_jobs()

    return make


def home(client, viewer: Profile, query: str = "", **headers: str):
    return client.get(f"/api/v1/timelines/home{query}", **{**bearer(viewer), **headers})


# --- Home -------------------------------------------------------------------------------


def test_home_answers_followed_and_own_posts_as_mastodon_statuses(
    client, ada, bo, cy, publish, follow
):
    follow(bo, ada)
    theirs = publish(ada, "Fractions with #Maths")
    own = publish(bo, "My own")
    publish(cy, "Not followed")
    response = home(client, bo)
    assert ids(response) == [str(own.pk), str(theirs.pk)]
    item = response.json()[1]
    assert set(item) >= STATUS_KEYS
    assert item["account"]["acct"] == "ada"
    assert item["favourited"] is False
    assert "suggested" not in item["pln"]


def test_home_shows_reshares_of_followed_accounts(client, ada, bo, cy, publish, follow, run_jobs):
    follow(bo, ada)
    original = publish(cy, "Worth sharing")
    reshare = reblog_create(actor=ada, status=original)
    run_jobs()
    body = home(client, bo).json()
    assert [item["id"] for item in body] == [str(reshare.pk)]
    assert body[0]["reblog"]["id"] == str(original.pk)


def test_home_pages_by_id_with_link_headers_while_someone_posts(
    client, ada, bo, cy, publish, follow
):
    follow(bo, ada)
    follow(bo, cy)
    made = [publish(ada, f"post {number}") for number in range(5)]
    first = home(client, bo, "?limit=2")
    assert ids(first) == [str(made[4].pk), str(made[3].pk)]
    links = link_params(first)
    assert links == {"next": f"limit=2&max_id={made[3].pk}", "prev": f"limit=2&min_id={made[4].pk}"}
    assert first.headers["Link"].startswith("<http")
    newer = publish(cy, "while bo was reading")
    second = home(client, bo, f"?{links['next']}")
    assert ids(second) == [str(made[2].pk), str(made[1].pk)]
    assert link_params(second)["next"] == f"limit=2&max_id={made[1].pk}"
    assert ids(home(client, bo, f"?{link_params(second)['next']}")) == [str(made[0].pk)]
    previous = home(client, bo, f"?{links['prev']}")
    assert ids(previous) == [str(newer.pk)]
    assert link_params(previous)["prev"] == f"limit=2&min_id={newer.pk}"
    assert ids(home(client, bo, f"?{link_params(previous)['prev']}")) == []
    assert "Link" not in home(client, bo, f"?{link_params(previous)['prev']}").headers


def test_home_min_id_is_the_page_just_newer_and_since_id_the_newest(
    client, ada, bo, publish, follow
):
    follow(bo, ada)
    made = [publish(ada, f"post {number}") for number in range(5)]
    just_newer = home(client, bo, f"?min_id={made[0].pk}&limit=2")
    assert ids(just_newer) == [str(made[2].pk), str(made[1].pk)]
    newest = home(client, bo, f"?since_id={made[0].pk}&limit=2")
    assert ids(newest) == [str(made[4].pk), str(made[3].pk)]
    between = home(client, bo, f"?since_id={made[1].pk}&max_id={made[4].pk}")
    assert ids(between) == [str(made[3].pk), str(made[2].pk)]


def test_home_limit_defaults_to_20_is_clamped_to_40_and_junk_never_fails(client, bo, publish):
    """SECURITY-PLAN R-6."""
    for number in range(45):
        publish(bo, f"post {number}")
    assert len(ids(home(client, bo))) == 20
    assert len(ids(home(client, bo, "?limit=0"))) == 20
    assert len(ids(home(client, bo, "?limit=10000"))) == 40
    assert len(ids(home(client, bo, "?limit=-3"))) == 3
    assert len(ids(home(client, bo, "?limit=abc"))) == 20
    first = ids(home(client, bo, "?limit=5"))
    assert ids(home(client, bo, "?limit=5&max_id=abc&since_id=-1&min_id=")) == first
    huge = ids(home(client, bo, "?limit=5&max_id=99999999999999999999999"))
    assert huge == first


def test_home_needs_a_token_with_read_statuses(client, bo):
    assert client.get("/api/v1/timelines/home").status_code == 401
    assert bo.user is not None
    raw = personal_token_create(user=bo.user, scopes="read:accounts").raw_token
    refused = client.get("/api/v1/timelines/home", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 403
    assert client.get("/api/v1/timelines/home", **bearer(bo, "read:statuses")).status_code == 200


# --- Who sees what -------------------------------------------------------------------------


def test_followers_only_posts_reach_followers_home_but_never_public_or_tag_pages(
    client, ada, bo, cy, publish, follow
):
    follow(bo, ada)
    private = publish(ada, "For my followers #Maths", visibility="followers")
    public = publish(ada, "For everyone #Maths")
    assert ids(home(client, bo)) == [str(public.pk), str(private.pk)]
    assert str(private.pk) not in ids(home(client, cy))
    for headers in ({}, bearer(bo), bearer(cy)):
        assert ids(client.get("/api/v1/timelines/public", **headers)) == [str(public.pk)]
        assert ids(client.get("/api/v1/timelines/tag/maths", **headers)) == [str(public.pk)]
    assert home(client, bo).json()[1]["visibility"] == "private"


def test_direct_posts_reach_only_the_people_mentioned(client, ada, bo, cy, publish, follow):
    """SECURITY-PLAN P-2."""
    follow(bo, ada)
    follow(cy, ada)
    direct = publish(ada, "@cy just between us", visibility="direct")
    assert str(direct.pk) in ids(home(client, cy))
    assert str(direct.pk) not in ids(home(client, bo))
    assert str(direct.pk) in ids(home(client, ada))
    assert str(direct.pk) not in ids(client.get("/api/v1/timelines/public", **bearer(cy)))


def test_connections_only_posts_reach_connections_not_mere_followers(
    client, ada, bo, cy, publish, follow, run_jobs
):
    follow(bo, ada)
    follow(cy, ada)
    connection_ask(actor=ada, target=cy)
    connection_accept(actor=cy, requester=ada)
    run_jobs()
    inner = publish(ada, "For my connections", visibility="connections")
    assert str(inner.pk) in ids(home(client, cy))
    assert str(inner.pk) not in ids(home(client, bo))
    assert str(inner.pk) not in ids(client.get("/api/v1/timelines/public", **bearer(cy)))


def test_an_unfollow_takes_the_posts_out_of_home_at_once(client, ada, bo, publish, follow):
    follow(bo, ada)
    post = publish(ada, "Soon gone from bo's home")
    assert ids(home(client, bo)) == [str(post.pk)]
    follow_delete(actor=bo, target=ada)
    assert ids(home(client, bo)) == []


def test_blocked_and_muted_authors_leave_home_and_public_pages(
    client, ada, bo, cy, publish, follow
):
    follow(bo, ada)
    follow(bo, cy)
    from_ada = publish(ada, "from ada")
    from_cy = publish(cy, "from cy")
    assert ids(home(client, bo)) == [str(from_cy.pk), str(from_ada.pk)]
    block_create(actor=bo, target=ada)
    mute_create(actor=bo, target=cy)
    assert ids(home(client, bo)) == []
    assert ids(client.get("/api/v1/timelines/public", **bearer(bo))) == []
    assert ids(client.get("/api/v1/timelines/public")) == [str(from_cy.pk), str(from_ada.pk)]


def test_a_reshare_of_a_blocked_author_is_left_out(client, ada, bo, cy, publish, follow, run_jobs):
    follow(bo, ada)
    original = publish(cy, "cy's post")
    reblog_create(actor=ada, status=original)
    run_jobs()
    block_create(actor=cy, target=bo)
    assert ids(home(client, bo)) == []


# --- Lists ------------------------------------------------------------------------------------


def test_list_timeline_answers_the_members_posts_and_404s_for_others(
    client, ada, bo, cy, publish, follow, run_jobs
):
    follow(bo, ada)
    follow(bo, cy)
    colleagues = purpose_list_create(actor=bo, title="Colleagues")
    purpose_list_add_accounts(actor=bo, list_id=colleagues.pk, profile_ids=[ada.pk])
    run_jobs()
    made = [publish(ada, f"ada {number}") for number in range(3)]
    publish(cy, "not in the list")
    path = f"/api/v1/timelines/list/{colleagues.pk}"
    first = client.get(f"{path}?limit=2", **bearer(bo))
    assert ids(first) == [str(made[2].pk), str(made[1].pk)]
    assert link_params(first)["next"] == f"limit=2&max_id={made[1].pk}"
    assert ids(
        client.get(f"/api/v1/timelines/list/{colleagues.pk}?max_id={made[1].pk}", **bearer(bo))
    ) == [str(made[0].pk)]
    for other in (bearer(cy), bearer(ada)):
        missing = client.get(path, **other)
        assert missing.status_code == 404
        assert missing.json() == {"error": "Record not found"}
    for junk in ("999999", "abc", "-1"):
        assert client.get(f"/api/v1/timelines/list/{junk}", **bearer(bo)).status_code == 404


def test_list_timeline_needs_read_lists(client, bo):
    colleagues = purpose_list_create(actor=bo, title="Colleagues")
    path = f"/api/v1/timelines/list/{colleagues.pk}"
    assert client.get(path, **bearer(bo, "read:statuses")).status_code == 403
    assert client.get(path, **bearer(bo, "read:lists")).status_code == 200


# --- Public and hashtag timelines -------------------------------------------------------------


def test_public_timeline_anyone_may_read_with_filters(client, ada, bo, publish, run_jobs):
    first = publish(ada, "first")
    publish(ada, "unlisted", visibility="unlisted")
    second = publish(bo, "second")
    reblog_create(actor=bo, status=first)
    run_jobs()
    path = "/api/v1/timelines/public"
    page = client.get(f"{path}?limit=1")
    assert ids(page) == [str(second.pk)]
    assert link_params(page)["next"] == f"limit=1&max_id={second.pk}"
    assert ids(client.get(f"{path}?{link_params(page)['next']}")) == [str(first.pk)]
    assert ids(client.get(f"{path}?local=true")) == [str(second.pk), str(first.pk)]
    assert ids(client.get(f"{path}?remote=true")) == []
    assert ids(client.get(f"{path}?only_media=true")) == []
    body = client.get(path).json()
    assert "favourited" not in body[0]
    assert client.get(path, **bearer(ada)).json()[0]["favourited"] is False


def test_public_timeline_refuses_a_token_without_read_statuses(client, ada):
    assert ada.user is not None
    raw = personal_token_create(user=ada.user, scopes="push").raw_token
    response = client.get("/api/v1/timelines/public", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_tag_timeline_matches_case_insensitively_and_pages(client, ada, bo, publish):
    made = [publish(ada, f"#Fractions lesson {number}") for number in range(3)]
    publish(bo, "#Geometry only")
    publish(ada, "#Fractions unlisted", visibility="unlisted")
    path = "/api/v1/timelines/tag/fractions"
    assert ids(client.get(path)) == [str(status.pk) for status in reversed(made)]
    page = client.get(f"{path}?limit=2")
    assert ids(page) == [str(made[2].pk), str(made[1].pk)]
    assert ids(client.get(f"{path}?{link_params(page)['next']}")) == [str(made[0].pk)]
    assert ids(client.get("/api/v1/timelines/tag/FRACTIONS?limit=1")) == [str(made[2].pk)]
    ignored = client.get(f"{path}?local=true&remote=true")  # every post here is local
    assert ids(ignored) == [str(status.pk) for status in reversed(made)]
    assert ids(client.get(f"{path}?only_media=1")) == []
    assert ids(client.get("/api/v1/timelines/tag/nothing-here")) == []


def test_tag_timeline_refuses_a_hashtag_too_long(client, ada):
    response = client.get("/api/v1/timelines/tag/" + "a" * 10_000, **bearer(ada))
    assert response.status_code == 422
    assert "error" in response.json()
    assert client.get("/api/v1/timelines/tag/" + "a" * 101).status_code == 422
    assert client.get("/api/v1/timelines/tag/" + "a" * 100).status_code == 200


# --- Query budget ------------------------------------------------------------------------------


def _queries(client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_a_page_of_20_costs_the_same_queries_as_a_page_of_5(client, bo, publish, follow, run_jobs):
    authors = make_profiles(10, "author")
    for author in authors:
        follow(bo, author)
    for number in range(25):
        status = publish(authors[number % 10], f"post {number} #Maths")
        if number % 5 == 0:
            reblog_create(actor=authors[(number + 1) % 10], status=status)
    run_jobs()
    headers = bearer(bo)
    for path in (
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/maths",
    ):
        small = _queries(client, f"{path}?limit=5", headers)
        large = _queries(client, f"{path}?limit=20", headers)
        assert large == small, path
