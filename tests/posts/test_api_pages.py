"""Pages of posts over the API: an account's statuses (filters, pins, Link headers, limit
clamping), bookmarks and favourites; and the status counts every Account now carries."""

from __future__ import annotations

import pytest

from staffroom.graph.services import block_create
from staffroom.posts.models import Bookmark, Favourite
from staffroom.posts.services import (
    bookmark_create,
    favourite_create,
    reblog_create,
    status_pin,
)
from tests.graph.test_api_helpers import bearer, link_params

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


def test_account_statuses_newest_first_with_link_headers(client, ada, post):
    made = [post(ada, f"post {number}") for number in range(5)]
    path = f"/api/v1/accounts/{ada.pk}/statuses"
    first = client.get(f"{path}?limit=2")
    assert ids(first) == [str(made[4].pk), str(made[3].pk)]
    links = link_params(first)
    assert links["next"] == f"limit=2&max_id={made[3].pk}"
    assert links["prev"] == f"limit=2&min_id={made[4].pk}"
    second = client.get(f"{path}?{links['next']}")
    assert ids(second) == [str(made[2].pk), str(made[1].pk)]
    newer = client.get(f"{path}?min_id={made[1].pk}&limit=2")
    assert ids(newer) == [str(made[3].pk), str(made[2].pk)]
    since = client.get(f"{path}?since_id={made[3].pk}")
    assert ids(since) == [str(made[4].pk)]


def test_account_statuses_limit_defaults_to_20_and_is_clamped_to_40(client, ada, post):
    for number in range(45):
        post(ada, f"post {number}")
    path = f"/api/v1/accounts/{ada.pk}/statuses"
    assert len(ids(client.get(path))) == 20
    assert len(ids(client.get(f"{path}?limit=10000"))) == 40
    assert len(ids(client.get(f"{path}?limit=-3"))) == 3
    assert client.get(f"{path}?limit=abc").status_code == 422


def test_account_statuses_filters(client, ada, bo, post):
    own = post(ada, "own #Maths")
    thread = post(ada, "more", in_reply_to=own)
    other = post(bo, "bo's")
    reply = post(ada, "reply to bo", in_reply_to=other)
    reshare = reblog_create(actor=ada, status=other)
    path = f"/api/v1/accounts/{ada.pk}/statuses"
    everything = [str(s.pk) for s in (reshare, reply, thread, own)]
    assert ids(client.get(path)) == everything
    no_replies = ids(client.get(f"{path}?exclude_replies=true"))
    assert no_replies == [str(reshare.pk), str(thread.pk), str(own.pk)]
    assert ids(client.get(f"{path}?exclude_reblogs=1")) == everything[1:]
    assert ids(client.get(f"{path}?tagged=maths")) == [str(own.pk)]
    assert ids(client.get(f"{path}?only_media=true")) == []
    status_pin(actor=ada, status=own)
    pinned = client.get(f"{path}?pinned=true", **bearer(ada))
    assert ids(pinned) == [str(own.pk)]
    assert pinned.json()[0]["pinned"] is True
    reshared = client.get(path).json()[0]
    assert reshared["reblog"]["id"] == str(other.pk)


def test_account_statuses_show_only_what_the_viewer_may_see(client, ada, bo, cy, post):
    public = post(ada, "public")
    post(ada, "followers", visibility="followers")
    post(ada, "@cy direct", visibility="direct")
    path = f"/api/v1/accounts/{ada.pk}/statuses"
    assert ids(client.get(path)) == [str(public.pk)]
    assert ids(client.get(path, **bearer(bo))) == [str(public.pk)]
    assert len(ids(client.get(path, **bearer(cy)))) == 2
    assert len(ids(client.get(path, **bearer(ada)))) == 3
    block_create(actor=ada, target=bo)
    blocked = client.get(path, **bearer(bo))
    assert blocked.status_code == 404
    assert blocked.json() == {"error": "Record not found"}
    assert client.get(path, **bearer(bo, "read:accounts")).status_code == 403


def test_bookmarks_page_is_paged_by_bookmark_and_hides_what_became_invisible(client, ada, bo, post):
    first, second, third = post(bo, "one"), post(bo, "two"), post(bo, "three")
    for status in (second, first, third):  # bookmark order, not post order
        bookmark_create(actor=ada, status=status)
    marks = list(Bookmark.objects.order_by("pk"))
    response = client.get("/api/v1/bookmarks?limit=2", **bearer(ada))
    assert ids(response) == [str(third.pk), str(first.pk)]
    assert all(item["bookmarked"] for item in response.json())
    assert link_params(response)["next"] == f"limit=2&max_id={marks[1].pk}"
    rest = client.get(f"/api/v1/bookmarks?{link_params(response)['next']}", **bearer(ada))
    assert ids(rest) == [str(second.pk)]
    block_create(actor=bo, target=ada)
    assert ids(client.get("/api/v1/bookmarks", **bearer(ada))) == []
    assert client.get("/api/v1/bookmarks", **bearer(ada, "read:favourites")).status_code == 403
    assert client.get("/api/v1/bookmarks").status_code == 401


def test_favourites_page(client, ada, bo, post):
    first, second = post(bo, "one"), post(bo, "two")
    favourite_create(actor=ada, status=second)
    favourite_create(actor=ada, status=first)
    response = client.get("/api/v1/favourites", **bearer(ada, "read:favourites"))
    assert ids(response) == [str(first.pk), str(second.pk)]
    assert all(item["favourited"] for item in response.json())
    newest = Favourite.objects.order_by("-pk").first()
    assert newest is not None
    assert link_params(response)["prev"] == f"min_id={newest.pk}"
    assert client.get("/api/v1/favourites", **bearer(ada, "read:bookmarks")).status_code == 403


def test_accounts_carry_statuses_count_and_last_status_at(client, ada, bo, post):
    account = client.get(f"/api/v1/accounts/{ada.pk}").json()
    assert (account["statuses_count"], account["last_status_at"]) == (0, None)
    post(ada, "one")
    latest = post(ada, "two")
    post(ada, "@bo secret", visibility="direct")  # not counted, as on Mastodon
    account = client.get(f"/api/v1/accounts/{ada.pk}").json()
    assert account["statuses_count"] == 2
    assert account["last_status_at"] == latest.created_at.date().isoformat()
    own = client.get("/api/v1/accounts/verify_credentials", **bearer(ada)).json()
    assert own["statuses_count"] == 2
    found = client.get("/api/v1/accounts/search?q=ada", **bearer(bo)).json()
    assert [item["statuses_count"] for item in found if item["id"] == str(ada.pk)] == [2]


def test_account_statuses_page_costs_the_same_queries_for_5_or_20_posts(
    client, ada, bo, post, django_assert_max_num_queries
):
    """Token, account, page, then the entities' constant batch (polls and the viewer's
    filters and conversation mutes read once each): never one per post."""
    headers = bearer(bo)
    path = f"/api/v1/accounts/{ada.pk}/statuses"
    for number in range(5):
        favourite_create(actor=bo, status=post(ada, f"#tag{number} @bo hello"))
    with django_assert_max_num_queries(15):
        assert len(ids(client.get(path, **headers))) == 5
    for number in range(15):
        reblog_create(actor=ada, status=post(bo, f"shared {number} @ada"))
    with django_assert_max_num_queries(15):
        assert len(ids(client.get(path, **headers))) == 20
