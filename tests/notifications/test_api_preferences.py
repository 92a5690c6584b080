"""The PLN notification routes through the real API stack: choosing the kinds turned off
and e-mailed (JSON and forms, unknown kinds refused), and the summary of what came while a
teacher was away, read on return and marked seen."""

from __future__ import annotations

import pytest

from staffroom.graph.services import follow_create
from staffroom.notifications.models import Notification
from staffroom.notifications.selectors import preferences_of
from staffroom.posts.services import favourite_create
from staffroom.profiles.models import Profile
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

PREFERENCES = "/api/v1/pln/notifications/preferences"
SUMMARY = "/api/v1/pln/notifications/away_summary"


def preferences(client, viewer: Profile) -> dict[str, list[str]]:
    response = client.get(PREFERENCES, **bearer(viewer))
    assert response.status_code == 200, response.content
    body: dict[str, list[str]] = response.json()
    return body


def test_preferences_start_empty(client, ada):
    assert preferences(client, ada) == {"muted_kinds": [], "email_kinds": []}


def test_preferences_are_saved_from_json_and_a_list_left_out_is_unchanged(client, ada):
    body = {"muted_kinds": ["reblog", "favourite"], "email_kinds": ["pln.connection_request"]}
    response = call(client, "PUT", PREFERENCES, bearer(ada), body)
    assert response.status_code == 200, response.content
    expected = {"muted_kinds": ["favourite", "reblog"], "email_kinds": ["pln.connection_request"]}
    assert response.json() == expected
    response = call(client, "PUT", PREFERENCES, bearer(ada), {"email_kinds": ["mention"]})
    assert response.json() == {"muted_kinds": ["favourite", "reblog"], "email_kinds": ["mention"]}
    assert preferences(client, ada) == response.json()


def test_preferences_from_a_form_and_a_blank_entry_clears_a_list(client, ada):
    form = "muted_kinds[]=follow&muted_kinds[]=mention"
    response = client.put(
        PREFERENCES, data=form, content_type="application/x-www-form-urlencoded", **bearer(ada)
    )
    assert response.status_code == 200, response.content
    assert response.json()["muted_kinds"] == ["follow", "mention"]
    response = client.put(
        PREFERENCES,
        data="muted_kinds[]=",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.json() == {"muted_kinds": [], "email_kinds": []}


def test_an_unknown_kind_is_a_422_and_nothing_changes(client, ada):
    call(client, "PUT", PREFERENCES, bearer(ada), {"muted_kinds": ["reblog"]})
    body = {"muted_kinds": ["follow", "quote"], "email_kinds": ["mention"]}
    response = call(client, "PUT", PREFERENCES, bearer(ada), body)
    assert response.status_code == 422
    assert "quote" in response.json()["error"]
    assert preferences(client, ada) == {"muted_kinds": ["reblog"], "email_kinds": []}
    wrong = call(client, "PUT", PREFERENCES, bearer(ada), {"muted_kinds": "reblog"})
    assert wrong.status_code == 422
    assert "error" in wrong.json()


def test_a_kind_turned_off_through_the_api_is_no_longer_written(client, ada, bo, post, run_jobs):
    call(client, "PUT", PREFERENCES, bearer(ada), {"muted_kinds": ["favourite"]})
    status = post(ada, "Hello")
    favourite_create(actor=bo, status=status)
    follow_create(actor=bo, target=ada)
    run_jobs()
    assert list(Notification.objects.filter(recipient=ada).values_list("kind", flat=True)) == [
        "follow"
    ]


def test_the_away_summary_counts_what_came_while_away_until_seen(
    client, ada, bo, cy, post, run_jobs
):
    ada.is_away = True
    ada.save(update_fields=["is_away"])
    status = post(ada, "Before the break")
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    favourite_create(actor=bo, status=status)
    run_jobs()
    assert client.get(SUMMARY, **bearer(ada)).json() == {"kinds": {}}
    ada.is_away = False
    ada.save(update_fields=["is_away"])
    response = client.get(SUMMARY, **bearer(ada))
    assert response.status_code == 200
    assert response.json() == {"kinds": {"follow": 2, "favourite": 1}}
    seen = call(client, "POST", f"{SUMMARY}/seen", bearer(ada))
    assert (seen.status_code, seen.json()) == (200, {})
    assert client.get(SUMMARY, **bearer(ada)).json() == {"kinds": {}}
    assert preferences_of(ada).away_summary_seen_at is not None


def test_no_token_is_401_and_a_token_without_the_scope_is_403(client, ada):
    for path in (PREFERENCES, SUMMARY):
        assert client.get(path).status_code == 401, path
        assert client.get(path, **bearer(ada, "read:accounts")).status_code == 403, path
        assert client.get(path, **bearer(ada, "read:notifications")).status_code == 200, path
    writes = [("PUT", PREFERENCES, {"muted_kinds": ["follow"]}), ("POST", f"{SUMMARY}/seen", {})]
    for method, path, body in writes:
        assert call(client, method, path, {}, body).status_code == 401, path
        assert call(client, method, path, bearer(ada, "read"), body).status_code == 403, path
        allowed = call(client, method, path, bearer(ada, "write:notifications"), body)
        assert allowed.status_code == 200, path
    assert preferences(client, ada)["muted_kinds"] == ["follow"]
