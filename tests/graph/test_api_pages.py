"""Paginated graph pages of the API: followers, following, follow requests, blocks, mutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.graph.models import Follow, FollowRequest
from staffroom.graph.services import block_create, follow_create, mute_create
from tests.factories import make_profile, make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params


def usernames(response):
    assert response.status_code == 200, response.content
    return [account["username"] for account in response.json()]


@pytest.fixture
def fans(db, bo):
    """Five followers of bo, oldest first."""
    profiles = make_profiles(5, "fan")
    for profile in profiles:
        follow_create(actor=profile, target=bo)
    return profiles


@pytest.mark.django_db
def test_api_followers_newest_first_with_link_headers(client, ada, bo, fans):
    headers = bearer(ada)
    first = client.get(f"/api/v1/accounts/{bo.pk}/followers?limit=2", **headers)
    assert usernames(first) == ["fan4", "fan3"]
    links = link_params(first)
    follows = list(Follow.objects.filter(followee=bo).order_by("-pk"))
    assert links["next"] == f"limit=2&max_id={follows[1].pk}"
    assert links["prev"] == f"limit=2&min_id={follows[0].pk}"
    second = client.get(f"/api/v1/accounts/{bo.pk}/followers?{links['next']}", **headers)
    assert usernames(second) == ["fan2", "fan1"]
    newer = client.get(
        f"/api/v1/accounts/{bo.pk}/followers?{link_params(second)['prev']}", **headers
    )
    assert usernames(newer) == ["fan4", "fan3"]
    since = client.get(f"/api/v1/accounts/{bo.pk}/followers?since_id={follows[2].pk}", **headers)
    assert usernames(since) == ["fan4", "fan3"]


@pytest.mark.django_db
def test_api_followers_accounts_carry_exact_counts(client, ada, bo, fans):
    follow_create(actor=bo, target=fans[0])
    body = client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(ada)).json()
    by_name = {account["username"]: account for account in body}
    assert by_name["fan0"]["followers_count"] == 1
    assert by_name["fan0"]["following_count"] == 1
    assert by_name["fan1"]["followers_count"] == 0


@pytest.mark.django_db
def test_api_following_page(client, ada, bo, cy):
    follow_create(actor=bo, target=ada)
    follow_create(actor=bo, target=cy)
    assert usernames(client.get(f"/api/v1/accounts/{bo.pk}/following", **bearer(ada))) == [
        "cy",
        "ada",
    ]


@pytest.mark.django_db
def test_api_empty_page_has_no_link_header(client, ada, bo):
    response = client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(ada))
    assert response.json() == []
    assert "Link" not in response.headers


@pytest.mark.django_db
def test_api_follow_lists_honour_hide_follows(client, ada, bo, fans):
    type(bo).objects.filter(pk=bo.pk).update(hide_follows=True)
    assert usernames(client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(ada))) == []
    assert len(usernames(client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(bo)))) == 5


@pytest.mark.django_db
def test_api_follow_lists_honour_blocks(client, ada, bo, fans):
    block_create(actor=fans[0], target=ada)
    names = usernames(client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(ada)))
    assert "fan0" not in names
    assert len(names) == 4
    block_create(actor=bo, target=ada)
    assert client.get(f"/api/v1/accounts/{bo.pk}/followers", **bearer(ada)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["limit=abc", "max_id=x", "limit=1.5"])
def test_api_follow_lists_refuse_junk_with_422(client, ada, bo, query):
    response = client.get(f"/api/v1/accounts/{bo.pk}/followers?{query}", **bearer(ada))
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(("limit", "expected"), [("0", 5), ("-2", 2), ("500", 5)])
def test_api_follow_lists_clamp_limits(client, ada, bo, fans, limit, expected):
    response = client.get(f"/api/v1/accounts/{bo.pk}/followers?limit={limit}", **bearer(ada))
    assert len(usernames(response)) == expected


@pytest.mark.django_db
def test_api_follow_lists_clamp_huge_ids(client, ada, bo, fans):
    huge = "9" * 30
    response = client.get(f"/api/v1/accounts/{bo.pk}/followers?max_id={huge}", **bearer(ada))
    assert len(usernames(response)) == 5


@pytest.mark.django_db
def test_api_follow_lists_query_count_is_constant(client, ada, bo, django_assert_max_num_queries):
    for n in range(15):
        fan = make_profile(f"many{n}")
        follow_create(actor=fan, target=bo)
        follow_create(actor=bo, target=fan)
    headers = bearer(ada)
    for kind in ("followers", "following"):
        with django_assert_max_num_queries(10):
            response = client.get(f"/api/v1/accounts/{bo.pk}/{kind}", **headers)
        assert len(response.json()) == 15


@pytest.mark.django_db
def test_api_follow_lists_need_read_accounts(client, ada, bo):
    url = f"/api/v1/accounts/{bo.pk}/followers"
    assert client.get(url, **bearer(ada, "read:follows")).status_code == 403
    assert client.get(url, **bearer(ada, "read:accounts")).status_code == 200


# --- follow requests ------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_follow_requests_authorize_and_reject(client, ada, bo, locked):
    follow_create(actor=ada, target=locked)
    follow_create(actor=bo, target=locked)
    headers = bearer(locked)
    assert usernames(client.get("/api/v1/follow_requests", **headers)) == ["bo", "ada"]
    body = call(client, "POST", f"/api/v1/follow_requests/{ada.pk}/authorize", headers).json()
    assert body["followed_by"] is True
    assert body["requested_by"] is False
    body = call(client, "POST", f"/api/v1/follow_requests/{bo.pk}/reject", headers).json()
    assert body["requested_by"] is False
    assert not FollowRequest.objects.exists()
    assert Follow.objects.filter(follower=ada, followee=locked).exists()
    again = call(client, "POST", f"/api/v1/follow_requests/{bo.pk}/reject", headers)
    assert again.status_code == 404


@pytest.mark.django_db
def test_api_follow_requests_scopes(client, ada, locked):
    follow_create(actor=ada, target=locked)
    url = f"/api/v1/follow_requests/{ada.pk}/authorize"
    assert call(client, "POST", url, bearer(locked, "write:blocks")).status_code == 403
    assert client.get("/api/v1/follow_requests", **bearer(locked, "read:lists")).status_code == 403
    assert call(client, "POST", url, bearer(locked, "write:follows")).status_code == 200


@pytest.mark.django_db
def test_api_follow_requests_link_header_and_budget(client, locked, django_assert_max_num_queries):
    for n in range(12):
        follow_create(actor=make_profile(f"asker{n}"), target=locked)
    headers = bearer(locked)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/follow_requests?limit=5", **headers)
    assert len(response.json()) == 5
    rest = client.get(f"/api/v1/follow_requests?{link_params(response)['next']}", **headers)
    assert len(rest.json()) == 5
    assert usernames(rest)[0] == "asker6"


# --- blocks and mutes -------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_blocks_page_lists_the_hidden_accounts(client, ada, bo, cy):
    block_create(actor=ada, target=bo)
    block_create(actor=ada, target=cy)
    response = client.get("/api/v1/blocks?limit=1", **bearer(ada, "read:blocks"))
    assert usernames(response) == ["cy"]
    more = client.get(f"/api/v1/blocks?{link_params(response)['next']}", **bearer(ada))
    assert usernames(more) == ["bo"]
    assert client.get("/api/v1/blocks", **bearer(ada, "read:mutes")).status_code == 403


@pytest.mark.django_db
def test_api_mutes_page_leaves_out_expired_mutes(client, ada, bo, cy):
    mute_create(actor=ada, target=bo, duration=60)
    mute_create(actor=ada, target=cy)
    headers = bearer(ada, "read:mutes")
    response = client.get("/api/v1/mutes", **headers)
    assert usernames(response) == ["cy", "bo"]
    assert response.json()[0]["mute_expires_at"] is None
    assert response.json()[1]["mute_expires_at"].endswith("Z")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert usernames(client.get("/api/v1/mutes", **headers)) == ["cy"]
    assert client.get("/api/v1/mutes", **bearer(ada, "read:blocks")).status_code == 403


@pytest.mark.django_db
def test_api_blocks_and_mutes_query_budget(client, ada, django_assert_max_num_queries):
    for n in range(12):
        other = make_profile(f"other{n}")
        block_create(actor=ada, target=other)
        mute_create(actor=ada, target=other)
    headers = bearer(ada)
    for path in ("/api/v1/blocks", "/api/v1/mutes"):
        with django_assert_max_num_queries(7):
            response = client.get(path, **headers)
        assert len(response.json()) == 12
