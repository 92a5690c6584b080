"""Mastodon 4.3's grouped notifications (`/api/v2/notifications`) through the real API
stack: favourites of one post and a day's follows read as one group each, the accounts and
posts listed once, `grouped_types[]`, the v1 filters, pagination with Link headers, the
grouped unread count, who may call and the query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import block_create, follow_create
from staffroom.notifications.api.schemas import GroupedNotificationsResults
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.posts.services import favourite_create
from staffroom.profiles.models import Profile
from tests.factories import make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

URL = "/api/v2/notifications"
GROUP_KEYS = {
    "group_key", "notifications_count", "type", "most_recent_notification_id", "page_min_id",
    "page_max_id", "latest_page_notification_at", "sample_account_ids", "status_id",
}  # fmt: skip


def grouped(client, viewer: Profile, query: str = "") -> dict[str, Any]:
    response = client.get(f"{URL}{query}", **bearer(viewer))
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def groups(client, viewer: Profile, query: str = "") -> list[tuple[str, int]]:
    """(type, notifications_count) of each group, newest first."""
    body = grouped(client, viewer, query)
    return [(group["type"], group["notifications_count"]) for group in body["notification_groups"]]


def stored(recipient: Profile) -> list[int]:
    rows = Notification.objects.filter(recipient=recipient).order_by("-pk")
    return list(rows.values_list("pk", flat=True))


@pytest.fixture
def fans(db) -> list[Profile]:
    return make_profiles(3, "fan")


@pytest.fixture
def liked(ada, fans, post, run_jobs) -> dict[str, Any]:
    """Three fans follow ada and favourite her post; then one replies."""
    status = post(ada, "Fractions with pizza")
    for fan in fans:
        follow_create(actor=fan, target=ada)
        favourite_create(actor=fan, status=status)
    run_jobs()
    reply = post(fans[0], "Thanks!", in_reply_to=status)
    run_jobs()
    return {"status": status, "reply": reply}


def test_favourites_of_one_post_are_one_group_and_follows_of_a_day_another(
    client, ada, fans, liked
):
    body = grouped(client, ada)
    assert groups(client, ada) == [("mention", 1), ("favourite", 3), ("follow", 3)]
    mention, favourites, follows = body["notification_groups"]
    assert set(favourites) == GROUP_KEYS
    assert favourites["group_key"] == f"favourite-{liked['status'].pk}"
    assert favourites["status_id"] == str(liked["status"].pk)
    assert sorted(favourites["sample_account_ids"]) == sorted(str(fan.pk) for fan in fans)
    assert int(favourites["page_min_id"]) < int(favourites["page_max_id"])
    assert favourites["most_recent_notification_id"] == favourites["page_max_id"]
    assert favourites["latest_page_notification_at"].endswith("Z")
    assert follows["status_id"] is None
    assert follows["group_key"].startswith("follow-")
    assert mention["status_id"] == str(liked["reply"].pk)
    assert mention["group_key"].startswith("ungrouped-")
    assert sorted(account["acct"] for account in body["accounts"]) == ["fan0", "fan1", "fan2"]
    assert sorted(status["id"] for status in body["statuses"]) == sorted(
        [str(liked["status"].pk), str(liked["reply"].pk)]
    )


def test_an_answer_validates_against_the_documented_schema(client, ada, liked):
    body = grouped(client, ada)
    answered = GroupedNotificationsResults.model_validate(body)
    assert answered.model_dump(mode="json", exclude_unset=True) == body


def test_grouped_types_narrows_what_groups(client, ada, liked):
    assert sorted(groups(client, ada, "?grouped_types[]=follow")) == [
        ("favourite", 1), ("favourite", 1), ("favourite", 1), ("follow", 3), ("mention", 1),
    ]  # fmt: skip
    body = grouped(client, ada, "?grouped_types[]=poll")
    keys = [group["group_key"] for group in body["notification_groups"]]
    assert len(keys) == 7
    assert all(key.startswith("ungrouped-") for key in keys)
    assert groups(client, ada, "?grouped_types[]=") == groups(client, ada)


def test_the_v1_filters_apply(client, ada, fans, liked):
    assert groups(client, ada, "?types[]=favourite&types[]=poll") == [("favourite", 3)]
    assert groups(client, ada, "?exclude_types[]=favourite&exclude_types[]=bogus") == [
        ("mention", 1), ("follow", 3),
    ]  # fmt: skip
    assert groups(client, ada, f"?account_id={fans[1].pk}") == [("favourite", 1), ("follow", 1)]
    assert groups(client, ada, "?limit=junk") == groups(client, ada)


def test_pages_by_notification_id_with_link_headers_while_more_arrive(
    client, ada, fans, liked, post, run_jobs
):
    newest, *_, oldest = stored(ada)
    first = client.get(f"{URL}?limit=2", **bearer(ada))
    assert first.status_code == 200
    assert [g["type"] for g in first.json()["notification_groups"]] == ["mention", "favourite"]
    links = link_params(first)
    second_newest = stored(ada)[1]
    assert links == {
        "next": f"limit=2&max_id={second_newest}",
        "prev": f"limit=2&min_id={newest}",
    }
    post(fans[2], "@ada one more thing")
    run_jobs()
    rest = grouped(client, ada, f"?{links['next']}&limit=80")
    assert sum(g["notifications_count"] for g in rest["notification_groups"]) == 5
    assert min(int(g["page_min_id"]) for g in rest["notification_groups"]) == oldest
    newer = grouped(client, ada, f"?{links['prev']}")
    assert [g["type"] for g in newer["notification_groups"]] == ["mention"]
    assert newer["accounts"][0]["acct"] == "fan2"
    empty = client.get(f"{URL}?min_id={stored(ada)[0]}", **bearer(ada))
    assert empty.json()["notification_groups"] == []
    assert "Link" not in empty.headers


def test_nothing_from_a_blocked_account_is_grouped(client, ada, fans, liked):
    block_create(actor=ada, target=fans[0])
    assert groups(client, ada) == [("favourite", 2), ("follow", 2)]
    assert "fan0" not in [account["acct"] for account in grouped(client, ada)["accounts"]]


def unread(client, viewer: Profile, query: str = "") -> int:
    response = client.get(f"{URL}/unread_count{query}", **bearer(viewer))
    assert response.status_code == 200, response.content
    return int(response.json()["count"])


def test_the_grouped_unread_count_counts_groups_and_follows_the_marker(client, ada, liked):
    assert unread(client, ada) == 3
    assert unread(client, ada, "?grouped_types[]=follow") == 5
    assert unread(client, ada, "?types[]=favourite") == 1
    assert unread(client, ada, "?exclude_types[]=mention") == 2
    assert unread(client, ada, "?limit=2") == 2
    assert unread(client, ada, "?grouped_types[]=follow&limit=4") == 4
    favourite = Notification.objects.filter(
        recipient=ada, kind=NotificationKind.FAVOURITE
    ).order_by("pk")[1]
    call(
        client,
        "POST",
        "/api/v1/markers",
        bearer(ada),
        {"notifications": {"last_read_id": str(favourite.pk)}},
    )
    # Left unread: the last follow, the last favourite and the mention.
    assert unread(client, ada) == 3
    assert unread(client, ada, "?types[]=favourite") == 1
    ada.is_away = True
    ada.save(update_fields=["is_away"])
    assert unread(client, ada) == 0


def test_no_token_is_401_and_a_token_without_the_scope_is_403(client, ada, liked):
    for path in (URL, f"{URL}/unread_count"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, **bearer(ada, "write read:statuses")).status_code == 403, path
        assert client.get(path, **bearer(ada, "read:notifications")).status_code == 200, path


def _queries(client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_a_page_of_20_costs_the_same_queries_as_a_page_of_5(client, ada, post, run_jobs):
    others = make_profiles(12, "colleague")
    statuses = [post(ada, f"Lesson {number}") for number in range(3)]
    for number, other in enumerate(others):
        follow_create(actor=other, target=ada)
        favourite_create(actor=other, status=statuses[number % 3])
        post(other, f"@ada thanks from {other.handle}")
    run_jobs()
    headers = bearer(ada)
    small = _queries(client, f"{URL}?limit=5", headers)
    large = _queries(client, f"{URL}?limit=20", headers)
    assert large == small
    assert large <= 17  # the page's polls and the conversation mutes read once each
