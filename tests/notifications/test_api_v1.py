"""Mastodon's `/api/v1/notifications` through the real API stack: the entities, filters,
pagination with Link headers, one by id, dismiss and clear, the unread count and the
notifications marker, who may call, bad input, privacy and the query budget.

Notifications are written as in production: by the domain's services and the jobs their
signals enqueue, run as a worker would (`run_jobs`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.moderation import services as moderation
from staffroom.notifications.api.schemas import Notification as NotificationSchema
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.posts.services import favourite_create, reblog_create
from staffroom.profiles.models import Profile
from tests.factories import make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

NOTIFICATION_KEYS = {"id", "type", "group_key", "created_at", "account"}
URL = "/api/v1/notifications"


def listed(client, viewer: Profile, query: str = "", headers: dict[str, str] | None = None):
    return client.get(f"{URL}{query}", **(headers or bearer(viewer)))


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


def kinds(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["type"] for item in response.json()]


def stored(recipient: Profile) -> list[str]:
    """The recipient's notification ids, newest first."""
    rows = Notification.objects.filter(recipient=recipient).order_by("-pk")
    return [str(pk) for pk in rows.values_list("pk", flat=True)]


def many(recipient: Profile, actor: Profile, count: int) -> list[str]:
    """`count` follow notifications written directly (a page's worth of rows without as
    many accounts), oldest first."""
    made = [
        Notification.objects.create(
            recipient=recipient,
            account=actor,
            kind=NotificationKind.FOLLOW,
            source_id=number,
            group_key=f"ungrouped-{number}",
        )
        for number in range(count)
    ]
    return [str(notification.pk) for notification in made]


@pytest.fixture
def busy(ada, bo, post, run_jobs) -> dict[str, Any]:
    """bo follows ada, favourites and reshares her post, then replies to it."""
    follow_create(actor=bo, target=ada)
    status = post(ada, "Fractions with pizza")
    favourite_create(actor=bo, status=status)
    reblog_create(actor=bo, status=status)
    run_jobs()
    reply = post(bo, "Love it", in_reply_to=status)
    run_jobs()
    return {"status": status, "reply": reply}


# --- Reading -------------------------------------------------------------------------------


def test_notifications_answer_mastodon_entities_newest_first(client, ada, bo, busy):
    response = listed(client, ada)
    body = response.json()
    assert ids(response) == stored(ada)
    assert kinds(response)[0] == "mention"
    assert sorted(kinds(response)) == ["favourite", "follow", "mention", "reblog"]
    for item in body:
        assert set(item) >= NOTIFICATION_KEYS
        assert item["account"]["acct"] == "bo"
        assert item["created_at"].endswith("Z")
    by_type = {item["type"]: item for item in body}
    assert by_type["mention"]["status"]["id"] == str(busy["reply"].pk)
    assert by_type["favourite"]["status"]["id"] == str(busy["status"].pk)
    assert by_type["favourite"]["group_key"] == f"favourite-{busy['status'].pk}"
    assert "status" not in by_type["follow"]


def test_a_page_validates_against_the_documented_schema(client, ada, busy):
    for item in listed(client, ada).json():
        dumped = NotificationSchema.model_validate(item).model_dump(mode="json", exclude_unset=True)
        assert dumped == item


def test_a_handled_report_says_only_its_type(client, ada, bo, moderator, run_jobs):
    report = moderation.report_create(reporter=ada, target_id=bo.pk)
    moderation.report_dismiss(actor=moderator, report_id=report.pk)
    run_jobs()
    [item] = listed(client, ada).json()
    assert item["type"] == "pln.report_resolved"
    assert set(item) == NOTIFICATION_KEYS
    assert item["account"]["id"] == str(ada.pk)
    assert "modmo" not in str(item)
    assert str(report.pk) not in str(item)


def test_types_and_exclude_types_filter_and_unknown_names_are_ignored(client, ada, busy):
    assert kinds(listed(client, ada, "?types[]=mention")) == ["mention"]
    assert sorted(kinds(listed(client, ada, "?types[]=follow&types[]=poll"))) == ["follow"]
    assert sorted(kinds(listed(client, ada, "?types=favourite"))) == ["favourite"]
    excluded = kinds(listed(client, ada, "?exclude_types[]=mention&exclude_types[]=nonsense"))
    assert sorted(excluded) == ["favourite", "follow", "reblog"]
    assert kinds(listed(client, ada, "?types[]=poll&types[]=update")) == []
    both = kinds(listed(client, ada, "?types[]=mention&types[]=follow&exclude_types[]=follow"))
    assert both == ["mention"]


def test_account_id_keeps_one_accounts_notifications(client, ada, bo, cy, busy, run_jobs):
    follow_create(actor=cy, target=ada)
    run_jobs()
    assert len(ids(listed(client, ada))) == 5
    assert kinds(listed(client, ada, f"?account_id={cy.pk}")) == ["follow"]
    assert len(ids(listed(client, ada, f"?account_id={bo.pk}"))) == 4
    assert ids(listed(client, ada, "?account_id=junk")) == []
    assert len(ids(listed(client, ada, "?account_id="))) == 5


def test_pages_by_id_with_link_headers_while_notifications_arrive(client, ada, bo, cy, run_jobs):
    made = many(ada, bo, 5)
    first = listed(client, ada, "?limit=2")
    assert ids(first) == [made[4], made[3]]
    links = link_params(first)
    assert links == {"next": f"limit=2&max_id={made[3]}", "prev": f"limit=2&min_id={made[4]}"}
    assert first.headers["Link"].startswith("<http")
    follow_create(actor=cy, target=ada)
    run_jobs()
    [newer] = stored(ada)[:1]
    second = listed(client, ada, f"?{links['next']}")
    assert ids(second) == [made[2], made[1]]
    assert ids(listed(client, ada, f"?{link_params(second)['next']}")) == [made[0]]
    previous = listed(client, ada, f"?{links['prev']}")
    assert ids(previous) == [newer]
    last = listed(client, ada, f"?{link_params(previous)['prev']}")
    assert ids(last) == []
    assert "Link" not in last.headers


def test_min_id_is_the_page_just_newer_and_since_id_the_newest(client, ada, bo):
    made = many(ada, bo, 5)
    assert ids(listed(client, ada, f"?min_id={made[0]}&limit=2")) == [made[2], made[1]]
    assert ids(listed(client, ada, f"?since_id={made[0]}&limit=2")) == [made[4], made[3]]
    between = listed(client, ada, f"?since_id={made[1]}&max_id={made[4]}")
    assert ids(between) == [made[3], made[2]]


def test_limit_defaults_to_40_is_clamped_to_80_and_junk_never_fails(client, ada, bo):
    many(ada, bo, 85)
    assert len(ids(listed(client, ada))) == 40
    assert len(ids(listed(client, ada, "?limit=0"))) == 40
    assert len(ids(listed(client, ada, "?limit=10000"))) == 80
    assert len(ids(listed(client, ada, "?limit=junk"))) == 40
    assert len(ids(listed(client, ada, "?limit=-3"))) == 3
    first = ids(listed(client, ada, "?limit=5"))
    assert ids(listed(client, ada, "?limit=5&max_id=abc&since_id=-1&min_id=")) == first
    assert ids(listed(client, ada, "?limit=5&max_id=99999999999999999999999")) == first


def test_one_notification_by_id(client, ada, busy):
    newest = listed(client, ada).json()[0]
    response = client.get(f"{URL}/{newest['id']}", **bearer(ada))
    assert response.status_code == 200
    assert response.json() == newest


def test_another_teachers_notification_is_not_found_like_an_unknown_one(client, ada, bo, busy):
    """SECURITY-PLAN A-7."""
    theirs = stored(ada)[0]
    for path in (f"{URL}/{theirs}", f"{URL}/123", f"{URL}/junk"):
        response = client.get(path, **bearer(bo))
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}
    for path in (f"{URL}/{theirs}/dismiss", f"{URL}/123/dismiss"):
        response = call(client, "POST", path, bearer(bo))
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}
    assert stored(ada)[0] == theirs


def test_dismiss_removes_one_and_clear_removes_all(client, ada, bo, busy):
    newest, *others = stored(ada)
    response = call(client, "POST", f"{URL}/{newest}/dismiss", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    assert ids(listed(client, ada)) == others
    assert client.get(f"{URL}/{newest}", **bearer(ada)).status_code == 404
    mine = many(bo, ada, 1)
    response = call(client, "POST", f"{URL}/clear", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    assert ids(listed(client, ada)) == []
    assert stored(bo) == mine


# --- Who may call ------------------------------------------------------------------------------


def test_no_token_is_401_and_a_token_without_the_scope_is_403(client, ada, busy):
    newest = stored(ada)[0]
    reads = [URL, f"{URL}/{newest}", f"{URL}/unread_count"]
    writes = [f"{URL}/{newest}/dismiss", f"{URL}/clear"]
    for path in reads:
        assert client.get(path).status_code == 401, path
        assert client.get(path, **bearer(ada, "read:statuses")).status_code == 403, path
        assert client.get(path, **bearer(ada, "read:notifications")).status_code == 200, path
    for path in writes:
        assert call(client, "POST", path, {}).status_code == 401, path
        denied = call(client, "POST", path, bearer(ada, "read write:statuses"))
        assert denied.status_code == 403, path
        assert "error" in denied.json()
    assert stored(ada)[0] == newest


# --- Privacy -----------------------------------------------------------------------------------


def test_nothing_from_a_blocked_account_shows(client, ada, bo, cy, busy, run_jobs):
    follow_create(actor=cy, target=ada)
    run_jobs()
    from_bo = stored(ada)[1]
    block_create(actor=ada, target=bo)
    assert kinds(listed(client, ada)) == ["follow"]
    assert client.get(f"{URL}/{from_bo}", **bearer(ada)).status_code == 404


def test_nothing_from_an_account_blocking_the_viewer_shows(client, ada, bo, busy):
    block_create(actor=bo, target=ada)
    assert ids(listed(client, ada)) == []


def test_a_mute_hiding_notifications_hides_them_and_a_plain_mute_does_not(
    client, ada, bo, cy, run_jobs
):
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    run_jobs()
    mute_create(actor=ada, target=cy, notifications=False)
    assert len(ids(listed(client, ada))) == 2
    mute_create(actor=ada, target=bo, notifications=True)
    [item] = listed(client, ada).json()
    assert item["account"]["acct"] == "cy"


# --- Unread count ------------------------------------------------------------------------------


def unread(client, viewer: Profile, query: str = "") -> int:
    response = client.get(f"{URL}/unread_count{query}", **bearer(viewer))
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"count"}
    return int(response.json()["count"])


def test_the_unread_count_moves_with_the_notifications_marker(client, ada, busy):
    newest, second, *_ = stored(ada)
    assert unread(client, ada) == 4
    marked = call(
        client, "POST", "/api/v1/markers", bearer(ada), {"notifications": {"last_read_id": second}}
    )
    assert marked.status_code == 200, marked.content
    assert unread(client, ada) == 1
    call(
        client, "POST", "/api/v1/markers", bearer(ada), {"notifications": {"last_read_id": newest}}
    )
    assert unread(client, ada) == 0


def test_the_unread_count_filters_and_caps_at_its_limit(client, ada, bo, busy):
    assert unread(client, ada, "?types[]=mention") == 1
    assert unread(client, ada, "?exclude_types[]=mention&exclude_types[]=bogus") == 3
    assert unread(client, ada, "?types[]=bogus") == 0
    assert unread(client, ada, f"?account_id={bo.pk}") == 4
    assert unread(client, ada, "?limit=2") == 2
    assert unread(client, ada, "?limit=junk") == 4


def test_the_unread_count_defaults_to_100_and_a_larger_limit_counts_more(client, ada, bo):
    many(ada, bo, 105)
    assert unread(client, ada) == 100
    assert unread(client, ada, "?limit=0") == 100
    assert unread(client, ada, "?limit=100000") == 105


def test_the_unread_count_is_0_while_away_and_leaves_out_blocked_accounts(client, ada, bo, busy):
    ada.is_away = True
    ada.save(update_fields=["is_away"])
    assert unread(client, ada) == 0
    ada.is_away = False
    ada.save(update_fields=["is_away"])
    block_create(actor=ada, target=bo)
    assert unread(client, ada) == 0


# --- Query budget ------------------------------------------------------------------------------


def _queries(client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_a_page_of_20_costs_the_same_queries_as_a_page_of_5(client, ada, post, run_jobs):
    others = make_profiles(12, "colleague")
    status = post(ada, "Ratio tables")
    for other in others:
        follow_create(actor=other, target=ada)
        favourite_create(actor=other, status=status)
        post(other, f"@ada thanks from {other.handle}")
    run_jobs()
    headers = bearer(ada)
    assert len(ids(listed(client, ada, "?limit=40"))) == 36
    small = _queries(client, f"{URL}?limit=5", headers)
    large = _queries(client, f"{URL}?limit=20", headers)
    assert large == small
    print("QUERIES", small)
    assert large <= 17  # the page's polls and the conversation mutes read once each
