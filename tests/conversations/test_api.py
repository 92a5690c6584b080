"""Mastodon's `/api/v1/conversations` through the real API stack: the entity's shape (and
its schema), Link pagination, marking read, deleting for oneself, 404 for another's id,
scopes, junk input and the query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.conversations.api.schemas import Conversation as ConversationSchema
from staffroom.conversations.models import Conversation
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db

URL = "/api/v1/conversations"
KEYS = {"id", "unread", "accounts", "last_status"}


def listed(client, viewer: Profile, query: str = "", headers: dict[str, str] | None = None):
    return client.get(f"{URL}{query}", **(headers or bearer(viewer)))


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()


def row_id(owner: Profile, status) -> str:
    return str(Conversation.objects.get(owner=owner, thread_id=status.thread_id).pk)


def test_the_list_answers_mastodons_conversation(client, ada, bo, cy, post):
    status = post(ada, "@bo @cy planning day", visibility="direct")
    [item] = ok(listed(client, bo))
    assert set(item) == KEYS
    assert item["id"] == row_id(bo, status)
    assert item["unread"] is True
    assert sorted(account["acct"] for account in item["accounts"]) == ["ada", "cy"]
    assert item["last_status"]["id"] == str(status.pk)
    assert item["last_status"]["visibility"] == "direct"
    assert (
        ConversationSchema.model_validate(item).model_dump(mode="json", exclude_unset=True) == item
    )
    [mine] = ok(listed(client, ada))
    assert mine["unread"] is False


def test_a_note_to_self_lists_the_owner_as_its_account(client, ada, post):
    post(ada, "remember the permission slips", visibility="direct")
    [item] = ok(listed(client, ada))
    assert [account["acct"] for account in item["accounts"]] == ["ada"]


def test_pages_carry_link_headers_with_last_post_ids(client, ada):
    others = make_profiles(3, "colleague")

    made = [make_post(ada, f"@{other.handle} hi", visibility="direct") for other in others]
    headers = bearer(ada)
    first = listed(client, ada, "?limit=2", headers)
    assert [item["last_status"]["id"] for item in ok(first)] == [str(made[2].pk), str(made[1].pk)]
    links = link_params(first)
    assert links["next"] == f"limit=2&max_id={made[1].pk}"
    assert links["prev"] == f"limit=2&min_id={made[2].pk}"
    second = ok(listed(client, ada, f"?{links['next']}", headers))
    assert [item["last_status"]["id"] for item in second] == [str(made[0].pk)]
    newer = ok(listed(client, ada, f"?min_id={made[0].pk}&limit=1", headers))
    assert [item["last_status"]["id"] for item in newer] == [str(made[1].pk)]
    assert ok(listed(client, ada, f"?since_id={made[2].pk}", headers)) == []


@pytest.mark.parametrize(
    "query", ["?limit=junk", "?limit=-3", "?max_id=abc", "?min_id=", "?limit=0"]
)
def test_junk_paging_never_fails(client, ada, bo, post, query):
    post(ada, "@bo hi", visibility="direct")
    assert len(ok(listed(client, ada, query))) == 1


def test_mark_read_answers_the_conversation(client, ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    pk = row_id(bo, status)
    response = call(client, "POST", f"{URL}/{pk}/read", bearer(bo))
    item = ok(response)
    assert set(item) == KEYS
    assert item["id"] == pk
    assert item["unread"] is False
    assert ok(listed(client, bo))[0]["unread"] is False


def test_delete_removes_it_for_the_caller_only(client, ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    response = call(client, "DELETE", f"{URL}/{row_id(bo, status)}", bearer(bo))
    assert ok(response) == {}
    assert ok(listed(client, bo)) == []
    assert len(ok(listed(client, ada))) == 1


def test_another_teachers_conversation_is_404(client, ada, bo, cy, post):
    """SECURITY-PLAN A-7."""
    status = post(ada, "@bo hello", visibility="direct")
    pk = row_id(bo, status)
    headers = bearer(cy)
    for method, path in (("POST", f"{URL}/{pk}/read"), ("DELETE", f"{URL}/{pk}")):
        response = call(client, method, path, headers)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    for bad in ("0", "junk", "9" * 40):
        response = call(client, "POST", f"{URL}/{bad}/read", headers)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert Conversation.objects.get(pk=pk).is_unread is True


def test_scopes(client, ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    pk = row_id(bo, status)
    assert client.get(URL).status_code == 401
    assert ok(listed(client, bo, headers=bearer(bo, "read:statuses")))
    assert listed(client, bo, headers=bearer(bo, "read:notifications")).status_code == 403
    writer = bearer(bo, "write:conversations")
    assert call(client, "POST", f"{URL}/{pk}/read", bearer(bo, "read")).status_code == 403
    assert call(client, "POST", f"{URL}/{pk}/read", writer).status_code == 200
    assert call(client, "DELETE", f"{URL}/{pk}", bearer(bo, "read")).status_code == 403
    assert call(client, "DELETE", f"{URL}/{pk}", writer).status_code == 200


def test_a_trailing_slash_is_accepted(client, ada, bo, post):
    post(ada, "@bo hello", visibility="direct")
    assert len(ok(client.get(f"{URL}/", **bearer(bo)))) == 1


def _queries(client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured.captured_queries)


def test_a_page_of_20_costs_the_same_queries_as_a_page_of_5(client, ada):

    for other in make_profiles(12, "colleague"):
        make_post(ada, f"@{other.handle} @colleague0 hello", visibility="direct")
    headers = bearer(ada)
    assert len(ok(listed(client, ada, "?limit=40", headers))) == 12
    small = _queries(client, f"{URL}?limit=5", headers)
    large = _queries(client, f"{URL}?limit=20", headers)
    assert large == small
    assert large <= 16
