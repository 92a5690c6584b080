"""Mastodon's scheduled statuses through the real API stack: `POST /api/v1/statuses` with
`scheduled_at`, the list (paged, Link header), one, `PUT` and `DELETE`; shapes, scopes, bad
input and who may see and change what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from staffroom.polls.models import Poll
from staffroom.posts.models import Status, Visibility
from staffroom.profiles.professional import posting_defaults_store
from staffroom.scheduling.models import ScheduledStatus
from staffroom.scheduling.services import scheduled_statuses_publish_due
from tests.factories import make_post
from tests.graph.test_api_helpers import bearer, call, link_params
from tests.media.test_views import ready_media

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SOON = "2026-03-02T10:00:00Z"
ENTITY_KEYS = {"id", "scheduled_at", "params", "media_attachments"}
PARAMS_KEYS = {
    "text",
    "spoiler_text",
    "sensitive",
    "language",
    "visibility",
    "in_reply_to_id",
    "media_ids",
    "poll",
    "idempotency",
    "scheduled_at",
    "application_id",
    "with_rate_limit",
    "pln",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def post_scheduled(client, profile, body, headers=None):
    return call(client, "POST", "/api/v1/statuses", bearer(profile) | (headers or {}), body)


def test_posting_with_scheduled_at_answers_a_scheduled_status(client, ada):
    response = post_scheduled(
        client, ada, {"status": "Starter for Monday", "scheduled_at": SOON, "spoiler_text": "cw"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == ENTITY_KEYS
    assert body["scheduled_at"] == "2026-03-02T10:00:00.000Z"
    assert set(body["params"]) == PARAMS_KEYS
    assert body["params"]["text"] == "Starter for Monday"
    assert body["params"]["spoiler_text"] == "cw"
    assert body["params"]["visibility"] == "public"
    assert body["params"]["scheduled_at"] is None
    assert body["params"]["application_id"] is not None
    assert body["media_attachments"] == []
    assert not Status.objects.exists()


def test_a_form_body_schedules_too(client, ada):
    response = client.post(
        "/api/v1/statuses",
        {"status": "Form post", "scheduled_at": SOON, "visibility": "unlisted"},
        **bearer(ada),
    )
    assert response.status_code == 200
    assert response.json()["params"]["visibility"] == "unlisted"


def test_the_authors_posting_defaults_are_applied_when_scheduling(client, ada):
    posting_defaults_store(
        profile=ada, default_visibility=Visibility.CONNECTIONS.value, default_language="fr"
    )
    body = post_scheduled(client, ada, {"status": "Bonjour", "scheduled_at": SOON}).json()
    assert body["params"]["visibility"] == "private"
    assert body["params"]["pln"]["visibility"] == "connections"
    assert body["params"]["language"] == "fr"


def test_visibility_is_kept_when_published(client, ada, clock):
    body = {
        "status": "Only my connections",
        "scheduled_at": SOON,
        "visibility": "private",
        "pln": {"visibility": "connections"},
    }
    assert post_scheduled(client, ada, body).status_code == 200
    clock.shift(timedelta(hours=1))
    scheduled_statuses_publish_due()
    assert Status.objects.get().visibility == Visibility.CONNECTIONS


@pytest.mark.parametrize(
    ("scheduled_at", "words"),
    [
        ("2026-03-02T09:04:00Z", "at least 5 minutes in the future"),
        ("2025-01-01T00:00:00Z", "at least 5 minutes in the future"),
        ("2036-03-02T09:00:00Z", "at most a year"),
        ("next tuesday", "date and time"),
        ("2026-13-45T99:00:00Z", "date and time"),
    ],
)
def test_a_bad_time_is_a_422_in_mastodons_shape(client, ada, scheduled_at, words):
    response = post_scheduled(client, ada, {"status": "Hi", "scheduled_at": scheduled_at})
    assert response.status_code == 422
    assert words in response.json()["error"]
    assert not ScheduledStatus.objects.exists()


def test_bad_text_is_refused_when_scheduling_not_later(client, ada):
    response = post_scheduled(client, ada, {"status": "  ", "scheduled_at": SOON})
    assert response.status_code == 422
    assert "blank" in response.json()["error"]


def test_a_scheduled_poll_is_checked_now_and_published_with_the_post(client, ada, clock):
    body = {
        "status": "Which starter works best?",
        "scheduled_at": SOON,
        "poll": {"options": ["Quiz", "Pair talk"], "expires_in": 3600, "multiple": True},
    }
    entity = post_scheduled(client, ada, body).json()
    assert entity["params"]["poll"] == {
        "options": ["Quiz", "Pair talk"],
        "expires_in": 3600,
        "multiple": True,
        "hide_totals": False,
    }
    clock.shift(timedelta(hours=1))
    scheduled_statuses_publish_due()
    published = Status.objects.get()
    poll = Poll.objects.get(status=published)
    assert poll.multiple is True
    assert [option.title for option in poll.options.order_by("position")] == ["Quiz", "Pair talk"]


def test_a_scheduled_poll_outside_the_limits_is_refused_at_once(client, ada):
    body = {"status": "Vote", "scheduled_at": SOON, "poll": {"options": ["a"], "expires_in": 60}}
    response = post_scheduled(client, ada, body)
    assert response.status_code == 422
    assert "Poll" in response.json()["error"]
    assert not ScheduledStatus.objects.exists()


def test_a_reply_to_a_hidden_post_is_a_404_when_scheduling(client, ada, bo):
    hidden = make_post(bo, "Mine", visibility=Visibility.DIRECT)
    body = {"status": "Hi", "scheduled_at": SOON, "in_reply_to_id": str(hidden.pk)}
    response = post_scheduled(client, ada, body)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_media_are_shown_and_published(client, ada, clock):
    image = ready_media(ada, description="A fraction wall")
    body = {"status": "Look", "scheduled_at": SOON, "media_ids": [str(image.pk)]}
    entity = post_scheduled(client, ada, body).json()
    assert entity["params"]["media_ids"] == [str(image.pk)]
    assert [item["id"] for item in entity["media_attachments"]] == [str(image.pk)]
    clock.shift(timedelta(hours=1))
    scheduled_statuses_publish_due()
    image.refresh_from_db()
    assert image.status_id == Status.objects.get().pk


def test_the_same_idempotency_key_schedules_once(client, ada):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = post_scheduled(client, ada, {"status": "Once", "scheduled_at": SOON}, headers)
    again = post_scheduled(client, ada, {"status": "Once", "scheduled_at": SOON}, headers)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["params"]["idempotency"] == "k-1"
    assert ScheduledStatus.objects.count() == 1


def test_the_list_is_the_authors_own_paged_with_link_headers(client, ada, bo):
    ids = [
        post_scheduled(client, ada, {"status": f"P{n}", "scheduled_at": SOON}).json()["id"]
        for n in range(3)
    ]
    post_scheduled(client, bo, {"status": "Bo's", "scheduled_at": SOON})
    response = client.get("/api/v1/scheduled_statuses?limit=2", **bearer(ada))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [ids[2], ids[1]]
    links = link_params(response)
    assert f"max_id={ids[1]}" in links["next"]
    older = client.get(f"/api/v1/scheduled_statuses?{links['next']}", **bearer(ada)).json()
    assert [row["id"] for row in older] == [ids[0]]


def test_the_list_has_a_query_budget(client, ada, django_assert_max_num_queries):
    for n in range(5):
        image = ready_media(ada, description=f"Image {n}")
        body = {"status": f"P{n}", "scheduled_at": SOON, "media_ids": [str(image.pk)]}
        post_scheduled(client, ada, body)
    headers = bearer(ada)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/scheduled_statuses", **headers)
    assert len(response.json()) == 5


def test_one_update_and_delete(client, ada):
    created = post_scheduled(client, ada, {"status": "Move me", "scheduled_at": SOON}).json()
    path = f"/api/v1/scheduled_statuses/{created['id']}"
    assert client.get(path, **bearer(ada)).json() == created
    moved = call(client, "PUT", path, bearer(ada), {"scheduled_at": "2026-03-05T08:00:00Z"})
    assert moved.status_code == 200
    assert moved.json()["scheduled_at"] == "2026-03-05T08:00:00.000Z"
    assert moved.json()["params"] == created["params"]
    form = client.generic(
        "PUT",
        path,
        "scheduled_at=2026-03-06T08%3A00%3A00Z",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert form.json()["scheduled_at"] == "2026-03-06T08:00:00.000Z"
    gone = call(client, "DELETE", path, bearer(ada))
    assert (gone.status_code, gone.json()) == (200, {})
    assert client.get(path, **bearer(ada)).status_code == 404


def test_a_bad_new_time_is_a_422(client, ada):
    created = post_scheduled(client, ada, {"status": "Move me", "scheduled_at": SOON}).json()
    path = f"/api/v1/scheduled_statuses/{created['id']}"
    for body in ({"scheduled_at": "2026-03-02T09:01:00Z"}, {"scheduled_at": "soon"}, {}):
        response = call(client, "PUT", path, bearer(ada), body)
        assert response.status_code == 422
        assert response.json()["error"].startswith("Validation failed")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_accounts_scheduled_post_is_a_404(client, ada, bo, method):
    """SECURITY-PLAN A-7."""
    created = post_scheduled(client, ada, {"status": "Mine", "scheduled_at": SOON}).json()
    body = {"scheduled_at": "2026-03-05T08:00:00Z"}
    response = call(client, method, f"/api/v1/scheduled_statuses/{created['id']}", bearer(bo), body)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert client.get("/api/v1/scheduled_statuses", **bearer(bo)).json() == []
    assert ScheduledStatus.objects.get().scheduled_at.isoformat().startswith("2026-03-02T10")


@pytest.mark.parametrize("junk", ["0", "-1", "abc", "9" * 30])
def test_junk_ids_are_404(client, ada, junk):
    response = client.get(f"/api/v1/scheduled_statuses/{junk}", **bearer(ada))
    assert response.status_code == 404


def test_a_nul_in_the_id_is_refused_before_the_route(client, ada):
    response = client.get("/api/v1/scheduled_statuses/%00", **bearer(ada))
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]


def test_scopes(client, ada):
    created = post_scheduled(client, ada, {"status": "Mine", "scheduled_at": SOON}).json()
    path = f"/api/v1/scheduled_statuses/{created['id']}"
    assert client.get("/api/v1/scheduled_statuses").status_code == 401
    assert client.get(path, **bearer(ada, "read:statuses")).status_code == 200
    assert client.get(path, **bearer(ada, "read:accounts")).status_code == 403
    assert call(client, "DELETE", path, bearer(ada, "read")).status_code == 403
    body = {"status": "x", "scheduled_at": SOON}
    assert call(client, "POST", "/api/v1/statuses", bearer(ada, "read"), body).status_code == 403
