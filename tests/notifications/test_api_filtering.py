"""Mastodon 4.3's notification filtering through the real API stack: the policy (v2 and
the v1 booleans), the requests (list with Link header, one, accept, dismiss, in bulk,
merged), `include_filtered`, and the grouped-notification routes (one group, its
accounts, its dismissal); specific routes never read as an id; scopes, another teacher's
ids and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.notifications.api.schemas import (
    GroupedNotificationsResults,
    NotificationPolicyV1,
    NotificationPolicyV2,
)
from staffroom.notifications.api.schemas import NotificationRequest as RequestSchema
from staffroom.notifications.models import Notification, NotificationRequest
from staffroom.posts.models import Visibility
from staffroom.posts.services import favourite_create
from staffroom.profiles.models import Profile
from tests.factories import make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

V2_POLICY = "/api/v2/notifications/policy"
V1_POLICY = "/api/v1/notifications/policy"
REQUESTS = "/api/v1/notifications/requests"
REQUEST_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "account",
    "notifications_count",
    "last_status",
}


def _filtered_from(sender: Profile, recipient: Profile, post: Any, run_jobs: Any) -> None:
    post(sender, f"@{recipient.handle} a private word", visibility=Visibility.DIRECT)
    run_jobs()


def test_v2_policy_defaults_and_patch(client, ada, bo, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    response = client.get(V2_POLICY, **bearer(ada))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "for_not_following": "accept",
        "for_not_followers": "accept",
        "for_new_accounts": "accept",
        "for_private_mentions": "filter",
        "for_limited_accounts": "filter",
        "summary": {"pending_requests_count": 1, "pending_notifications_count": 1},
    }
    NotificationPolicyV2.model_validate(body)
    changed = call(client, "PATCH", V2_POLICY, bearer(ada), {"for_new_accounts": "drop"})
    assert changed.status_code == 200
    assert changed.json()["for_new_accounts"] == "drop"
    assert changed.json()["for_private_mentions"] == "filter"  # left out: unchanged
    put = call(client, "PUT", V2_POLICY, bearer(ada), {"for_not_following": "filter"})
    assert put.json()["for_not_following"] == "filter"
    assert put.json()["for_new_accounts"] == "drop"


def test_v2_policy_form_encoded_patch_as_mastodon_py_sends_it(client, ada):
    response = client.patch(
        V2_POLICY,
        data="for_not_followers=filter",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.status_code == 200
    assert response.json()["for_not_followers"] == "filter"


def test_an_unknown_policy_value_is_a_422_and_nothing_changes(client, ada):
    response = call(
        client,
        "PATCH",
        V2_POLICY,
        bearer(ada),
        {"for_not_following": "filter", "for_new_accounts": "sometimes"},
    )
    assert response.status_code == 422
    assert "for_new_accounts" in response.json()["error"]
    assert client.get(V2_POLICY, **bearer(ada)).json()["for_not_following"] == "accept"
    junk = call(client, "PUT", V1_POLICY, bearer(ada), {"filter_not_following": "perhaps"})
    assert junk.status_code == 422
    assert "error" in junk.json()


def test_v1_policy_booleans(client, ada):
    body = client.get(V1_POLICY, **bearer(ada)).json()
    assert body == {
        "filter_not_following": False,
        "filter_not_followers": False,
        "filter_new_accounts": False,
        "filter_private_mentions": True,
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    }
    NotificationPolicyV1.model_validate(body)
    changed = call(
        client,
        "PUT",
        V1_POLICY,
        bearer(ada),
        {"filter_not_following": True, "filter_private_mentions": False},
    )
    assert changed.status_code == 200
    assert changed.json()["filter_not_following"] is True
    v2 = client.get(V2_POLICY, **bearer(ada)).json()
    assert (v2["for_not_following"], v2["for_private_mentions"]) == ("filter", "accept")


def test_policy_scopes(client, ada):
    assert client.get(V2_POLICY).status_code == 401
    reader = bearer(ada, "read:notifications")
    assert client.get(V2_POLICY, **reader).status_code == 200
    assert call(client, "PATCH", V2_POLICY, reader, {}).status_code == 403
    assert call(client, "POST", f"{REQUESTS}/accept", reader, {"id": []}).status_code == 403


def test_specific_routes_are_not_read_as_ids(client, ada):
    headers = bearer(ada)
    for path in (REQUESTS, f"{REQUESTS}/merged", V1_POLICY, V2_POLICY):
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.content)
    assert client.get("/api/v2/notifications/unread_count", **headers).json() == {"count": 0}
    assert client.get(f"{REQUESTS}/merged", **headers).json() == {"merged": True}


def test_requests_list_one_accept_and_later_ones(client, ada, bo, cy, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    _filtered_from(cy, ada, post, run_jobs)
    headers = bearer(ada)
    assert client.get("/api/v1/notifications", **headers).json() == []
    listed = client.get(REQUESTS, **headers)
    assert listed.status_code == 200
    body = listed.json()
    assert [item["account"]["acct"] for item in body] == ["cy", "bo"]
    for item in body:
        assert set(item) == REQUEST_KEYS
        RequestSchema.model_validate(item)
    assert body[0]["notifications_count"] == "1"
    assert "a private word" in body[0]["last_status"]["content"]
    one = client.get(f"{REQUESTS}/{body[1]['id']}", **headers)
    assert one.json()["account"]["acct"] == "bo"

    page = client.get(f"{REQUESTS}?limit=1", **headers)
    assert len(page.json()) == 1
    assert "max_id" in link_params(page)["next"]

    assert call(client, "POST", f"{REQUESTS}/{body[1]['id']}/accept", headers).json() == {}
    listed_now = client.get("/api/v1/notifications", **headers).json()
    assert [(n["type"], n["account"]["acct"]) for n in listed_now] == [("mention", "bo")]
    _filtered_from(bo, ada, post, run_jobs)
    assert len(client.get("/api/v1/notifications", **headers).json()) == 2
    assert [item["account"]["acct"] for item in client.get(REQUESTS, **headers).json()] == ["cy"]

    assert call(client, "POST", f"{REQUESTS}/{body[0]['id']}/dismiss", headers).json() == {}
    assert client.get(REQUESTS, **headers).json() == []
    assert not Notification.objects.filter(recipient=ada, account=cy).exists()


def test_bulk_accept_and_dismiss_ignore_ids_not_yours(client, ada, bo, cy, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    _filtered_from(cy, ada, post, run_jobs)
    _filtered_from(cy, bo, post, run_jobs)
    ids = {r.account.handle: str(r.pk) for r in NotificationRequest.objects.filter(recipient=ada)}
    bos = str(NotificationRequest.objects.get(recipient=bo).pk)
    accepted = client.post(
        f"{REQUESTS}/accept",
        data=f"id[]={ids['bo']}&id[]={bos}&id[]=junk",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert accepted.status_code == 200
    assert NotificationRequest.objects.filter(recipient=bo).exists()  # not ada's
    dismissed = call(client, "POST", f"{REQUESTS}/dismiss", bearer(ada), {"id": [ids["cy"]]})
    assert dismissed.status_code == 200
    assert not NotificationRequest.objects.filter(recipient=ada).exists()
    kinds = [
        n["account"]["acct"] for n in client.get("/api/v1/notifications", **bearer(ada)).json()
    ]
    assert kinds == ["bo"]


def test_another_teachers_request_is_a_404(client, ada, bo, cy, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    request_id = NotificationRequest.objects.get(recipient=ada).pk
    for method, path in (
        ("GET", f"{REQUESTS}/{request_id}"),
        ("POST", f"{REQUESTS}/{request_id}/accept"),
        ("POST", f"{REQUESTS}/{request_id}/dismiss"),
        ("GET", f"{REQUESTS}/999999"),
        ("GET", f"{REQUESTS}/not-a-number"),
    ):
        response = call(client, method, path, bearer(cy))
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}
    assert NotificationRequest.objects.filter(pk=request_id).exists()


def test_include_filtered_on_both_lists(client, ada, bo, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    headers = bearer(ada)
    assert client.get("/api/v1/notifications", **headers).json() == []
    with_filtered = client.get("/api/v1/notifications?include_filtered=true", **headers).json()
    assert [n["type"] for n in with_filtered] == ["mention"]
    grouped = client.get("/api/v2/notifications?include_filtered=true", **headers).json()
    assert len(grouped["notification_groups"]) == 1
    assert client.get("/api/v1/notifications/unread_count", **headers).json() == {"count": 0}


@pytest.fixture
def favourited(ada, post, run_jobs):
    """Three favourites of one of ada's posts, by three accounts (one group)."""
    status = post(ada, "Class trip photos")
    for fan in make_profiles(3, prefix="fan"):
        favourite_create(actor=fan, status=status)
    run_jobs()
    return status


def test_one_group_its_accounts_and_dismissal(client, ada, favourited):
    headers = bearer(ada)
    key = f"favourite-{favourited.pk}"
    response = client.get(f"/api/v2/notifications/{key}", **headers)
    assert response.status_code == 200
    body = response.json()
    GroupedNotificationsResults.model_validate(body)
    (group,) = body["notification_groups"]
    assert (group["group_key"], group["notifications_count"], group["type"]) == (
        key,
        3,
        "favourite",
    )
    assert [s["id"] for s in body["statuses"]] == [str(favourited.pk)]
    accounts = client.get(f"/api/v2/notifications/{key}/accounts", **headers).json()
    assert [a["acct"] for a in accounts] == ["fan2", "fan1", "fan0"]
    assert call(client, "POST", f"/api/v2/notifications/{key}/dismiss", headers).json() == {}
    assert client.get("/api/v2/notifications", **headers).json()["notification_groups"] == []
    gone = client.get(f"/api/v2/notifications/{key}", **headers)
    assert gone.status_code == 404
    assert gone.json() == {"error": "Record not found"}


def test_an_ungrouped_key_names_one_notification(client, ada, bo, post, run_jobs):
    post(bo, "@ada hello")
    run_jobs()
    notification = Notification.objects.get(recipient=ada)
    key = f"ungrouped-{notification.pk}"
    body = client.get(f"/api/v2/notifications/{key}", **bearer(ada)).json()
    assert body["notification_groups"][0]["group_key"] == key
    assert body["notification_groups"][0]["type"] == "mention"
    assert call(client, "POST", f"/api/v2/notifications/{key}/dismiss", bearer(ada)).json() == {}
    assert not Notification.objects.filter(recipient=ada).exists()


def test_another_teachers_group_is_a_404(client, ada, cy, favourited):
    key = f"favourite-{favourited.pk}"
    for method, path in (
        ("GET", f"/api/v2/notifications/{key}"),
        ("GET", f"/api/v2/notifications/{key}/accounts"),
        ("POST", f"/api/v2/notifications/{key}/dismiss"),
        ("GET", "/api/v2/notifications/ungrouped-junk"),
    ):
        response = call(client, method, path, bearer(cy))
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}
    assert Notification.objects.filter(recipient=ada).count() == 3


def test_a_filtered_notification_is_not_in_any_group(client, ada, bo, post, run_jobs):
    _filtered_from(bo, ada, post, run_jobs)
    notification = Notification.objects.get(recipient=ada)
    response = client.get(f"/api/v2/notifications/ungrouped-{notification.pk}", **bearer(ada))
    assert response.status_code == 404


def test_the_requests_page_costs_the_same_queries_whatever_its_length(client, ada, post, run_jobs):
    senders = make_profiles(4, prefix="writer")
    _filtered_from(senders[0], ada, post, run_jobs)
    headers = bearer(ada)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(REQUESTS, **headers).json()) == 1
    for sender in senders[1:]:
        _filtered_from(sender, ada, post, run_jobs)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(REQUESTS, **headers).json()) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
