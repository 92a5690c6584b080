"""`GET /api/v1/timelines/home?pln_suggested=true`: "from educators like you" posts mixed
into a home page, marked `pln.suggested`, never in the Link cursors, absent without the
flag or when the teacher turned them off."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import follow_create
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.recommendations.snapshot import snapshot_build
from staffroom.timelines.services import feed_preferences_update
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer, link_params
from tests.timelines.test_api_helpers import ids, regular_ids

pytestmark = pytest.mark.django_db

HOME = "/api/v1/timelines/home"


@pytest.fixture
def ada(db) -> Profile:
    """Teaches maths; reads her home feed."""
    return make_profile("ada", subjects=["math"])


@pytest.fixture
def feed(ada, publish, run_jobs) -> dict[str, list[Status]]:
    """Ada follows `friend` (6 posts); `peer` and `other` teach maths too and are not
    followed; `far` teaches art."""
    friend = make_profile("friend", subjects=["visual-arts"])
    follow_create(actor=ada, target=friend)
    run_jobs()
    regular = [publish(friend, f"friend {number}") for number in range(6)]
    peer, other, far = (
        make_profile("peer", subjects=["math"]),
        make_profile("other", subjects=["math"]),
        make_profile("far", subjects=["music"]),
    )
    suggested = [publish(peer, "Peer's fractions idea"), publish(other, "Other's number talks")]
    publish(far, "Not alike")
    publish(peer, "A reply", in_reply_to=regular[0])
    return {"regular": regular, "suggested": suggested}


def test_suggested_items_are_mixed_in_and_marked(client, ada, feed):
    response = client.get(f"{HOME}?pln_suggested=true", **bearer(ada))
    body = response.json()
    regular = [str(status.pk) for status in reversed(feed["regular"])]
    assert regular_ids(response) == regular
    suggested = [item for item in body if "suggested" in item["pln"]]
    assert {item["id"] for item in suggested} == {str(status.pk) for status in feed["suggested"]}
    assert [item["id"] for item in body].index(suggested[0]["id"]) == 2
    assert body[0]["id"] == regular[0]
    marked = suggested[0]["pln"]["suggested"]
    assert marked["reason"]
    assert "similar_profile" in [reason["kind"] for reason in marked["reasons"]]
    assert set(marked["reasons"][0]) == {"kind", "text", "weight"}
    assert suggested[0]["pln"]["modality"] == "text"
    assert suggested[0]["favourited"] is False


def test_suggested_items_never_set_the_link_cursors(client, ada, feed):
    response = client.get(f"{HOME}?pln_suggested=true&limit=3", **bearer(ada))
    newest = [str(status.pk) for status in reversed(feed["regular"])]
    assert regular_ids(response) == newest[:3]
    assert len(ids(response)) == 5
    links = link_params(response)
    assert links["next"] == f"pln_suggested=true&limit=3&max_id={newest[2]}"
    assert links["prev"] == f"pln_suggested=true&limit=3&min_id={newest[0]}"
    following = client.get(f"{HOME}?{links['next']}", **bearer(ada))
    assert regular_ids(following) == newest[3:6]


def test_without_the_flag_there_are_no_suggestions(client, ada, feed):
    for query in ("", "?pln_suggested=false", "?pln_suggested=0"):
        body = client.get(f"{HOME}{query}", **bearer(ada)).json()
        assert [item["id"] for item in body] == [
            str(status.pk) for status in reversed(feed["regular"])
        ]
        assert all("suggested" not in item["pln"] for item in body)


def test_no_suggestions_when_turned_off_or_when_polling_for_newer_posts(client, ada, feed):
    regular = [str(status.pk) for status in reversed(feed["regular"])]
    polling = client.get(f"{HOME}?pln_suggested=true&since_id={regular[3]}", **bearer(ada))
    assert ids(polling) == regular[:3]
    newer = client.get(f"{HOME}?pln_suggested=true&min_id={regular[3]}", **bearer(ada))
    assert ids(newer) == regular[:3]
    feed_preferences_update(ada, suggested_per_page=0)
    assert ids(client.get(f"{HOME}?pln_suggested=true", **bearer(ada))) == regular


def test_the_preference_sets_how_many(client, ada, feed):
    feed_preferences_update(ada, suggested_per_page=1)
    response = client.get(f"{HOME}?pln_suggested=true", **bearer(ada))
    assert len(ids(response)) == len(regular_ids(response)) + 1


def test_a_followed_or_shown_post_is_never_suggested_again(client, ada, feed, run_jobs):
    peer = feed["suggested"][0].account
    follow_create(actor=ada, target=peer)
    run_jobs()
    response = client.get(f"{HOME}?pln_suggested=true&limit=40", **bearer(ada))
    every = ids(response)
    assert len(every) == len(set(every))
    suggested = [item for item in response.json() if "suggested" in item["pln"]]
    assert [item["account"]["acct"] for item in suggested] == ["other"]


def test_an_empty_home_answers_the_suggestions_alone_without_link(client, publish):
    newcomer = make_profile("newcomer", subjects=["math"])
    peer_post = publish(make_profile("peer", subjects=["math"]), "Welcome to maths")
    response = client.get(f"{HOME}?pln_suggested=true", **bearer(newcomer))
    assert ids(response) == [str(peer_post.pk)]
    assert "Link" not in response.headers


def test_suggestions_keep_the_page_cost_constant(client, ada, feed, publish):
    friend = feed["regular"][0].account
    for number in range(20):
        publish(friend, f"more {number}")
    for number in range(3):
        publish(make_profile(f"peer{number}", subjects=["math"]), f"suggested {number}")
    snapshot_build()  # the new peers join the suggestion engine's graph

    headers = bearer(ada)

    def cost(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{HOME}?pln_suggested=true&limit={limit}", **headers)
        assert response.status_code == 200
        assert len(ids(response)) == limit + 2
        return len(captured.captured_queries)

    cost(5)  # this worker loads the new snapshot once
    large = cost(20)
    small = cost(5)
    assert large == small
