"""Who to follow over the API: Mastodon's `/api/v2/suggestions` and `/api/v1/suggestions`
(reading and dismissing), and the PLN routes (a purpose, similar educators, a purpose
list, taking back a dismissal), on the test community with a snapshot built after it."""

from __future__ import annotations

from typing import Any

import pytest

from staffroom.graph.services import block_create, follow_create
from staffroom.graph.services.lists import purpose_list_add_accounts, purpose_list_create
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import Dismissal
from staffroom.recommendations.snapshot import snapshot_forget
from tests.conftest import Shared
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer, call
from tests.recommendations.community import Community

pytestmark = pytest.mark.django_db

SUGGESTION_KEYS = {"source", "sources", "account", "reason", "reasons"}
MASTODON_SOURCES = {
    "featured",
    "most_followed",
    "most_interactions",
    "similar_to_recently_followed",
    "friends_of_friends",
}
PURPOSES = ("resources", "practices", "inspiration", "support", "mentorship")


@pytest.fixture
def community(built: Shared[Community], db) -> Community:
    snapshot_forget()
    return built.for_test()


@pytest.fixture
def viewer(community: Community) -> Profile:
    """A grade 7 math teacher who follows three math7 teachers, none of them a mentor.
    Their own follows are read live, so the snapshot need not know them."""
    profile = make_profile("newbie", subjects=["math"], grades=["g7"])
    for member in community.math7[5:8]:
        follow_create(actor=profile, target=member)
    return profile


def _acct(items: list[dict[str, Any]]) -> list[str]:
    return [item["account"]["acct"] for item in items]


def _get(client: Any, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content
    body: list[dict[str, Any]] = response.json()
    return body


def test_v2_suggestions_answer_mastodon_suggestions_with_reasons(client, community, viewer):
    headers = bearer(viewer)
    items = _get(client, "/api/v2/suggestions", headers)
    assert items
    account_keys = set(client.get(f"/api/v1/accounts/{community.math7[8].pk}").json())
    for item in items:
        assert set(item) == SUGGESTION_KEYS
        assert set(item["account"]) == account_keys
        assert item["source"] in {"staff", "past_interactions", "global"}
        assert item["sources"]
        assert set(item["sources"]) <= MASTODON_SOURCES
        assert item["reason"].strip()
        assert item["reasons"]
        for reason in item["reasons"]:
            assert set(reason) == {"kind", "text", "weight"}
            assert reason["text"].strip()
            assert 0 <= reason["weight"] <= 1
    shown = set(_acct(items))
    assert not shown & {"newbie", "m7_5", "m7_6", "m7_7"}, "never yourself or whom you follow"
    assert items[0]["account"]["acct"].startswith("m7_")
    assert "Mathematics" in items[0]["reason"]


def test_v1_suggestions_are_the_accounts_of_v2_in_the_same_order(client, viewer):
    headers = bearer(viewer)
    v2 = _get(client, "/api/v2/suggestions?limit=10", headers)
    v1 = _get(client, "/api/v1/suggestions?limit=10", headers)
    assert [account["id"] for account in v1] == [item["account"]["id"] for item in v2]
    assert all("acct" in account and "reasons" not in account for account in v1)


def test_mastodon_routes_read_limit_as_mastodon_does(client, viewer):
    headers = bearer(viewer)
    assert len(_get(client, "/api/v2/suggestions?limit=2", headers)) == 2
    everyone = _get(client, "/api/v2/suggestions?limit=0", headers)  # 0 is the default
    assert len(everyone) > 2
    assert len(_get(client, "/api/v2/suggestions?limit=500", headers)) == len(everyone)
    assert client.get("/api/v2/suggestions?limit=many", **headers).status_code == 422


def test_a_purpose_reorders_suggestions(client, viewer):
    headers = bearer(viewer)
    plain = _acct(_get(client, "/api/v1/pln/suggestions", headers))
    mentors = _acct(_get(client, "/api/v1/pln/suggestions?purpose=mentorship", headers))
    resources = _acct(_get(client, "/api/v1/pln/suggestions?purpose=resources", headers))
    assert set(mentors[:2]) == {"m7_0", "m7_1"}, mentors
    assert set(resources[:3]) == {"m7_2", "m7_3", "m7_4"}, resources
    assert plain[:2] != mentors[:2]
    top = _get(client, "/api/v1/pln/suggestions?purpose=mentorship&limit=1", headers)[0]
    assert set(top) == SUGGESTION_KEYS
    assert any(reason["kind"] == "purpose_mentorship" for reason in top["reasons"])
    assert "mentorship" in top["reason"]


@pytest.mark.parametrize(
    "query",
    ["purpose=gossip", "limit=0", "limit=81", "purpose=support&limit=-1"],
)
def test_pln_suggestions_refuse_a_bad_purpose_or_limit_with_422(client, viewer, query):
    response = client.get(f"/api/v1/pln/suggestions?{query}", **bearer(viewer))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error.startswith("Validation failed")
    if "purpose" in query and "limit" not in query:
        assert all(purpose in error for purpose in PURPOSES)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v2/suggestions"),
        ("GET", "/api/v1/suggestions"),
        ("DELETE", "/api/v1/suggestions/1"),
        ("GET", "/api/v1/pln/suggestions"),
        ("POST", "/api/v1/pln/suggestions/1/restore"),
        ("GET", "/api/v1/pln/lists/1/suggestions"),
    ],
)
def test_suggestion_routes_need_a_token_with_their_scope(client, method, path):
    assert call(client, method, path, {}).status_code == 401
    # `follow` and `push` cover neither reading nor writing accounts or lists.
    wrong = bearer(make_profile("scoped"), scopes="follow push")
    assert call(client, method, path, wrong).status_code == 403


def test_dismissing_removes_the_account_from_the_next_answer_and_restore_brings_it_back(
    client, viewer
):
    headers = bearer(viewer)
    first = _get(client, "/api/v2/suggestions", headers)[0]["account"]
    gone = call(client, "DELETE", f"/api/v1/suggestions/{first['id']}", headers)
    assert gone.status_code == 200
    assert gone.json() == {}
    assert first["acct"] not in _acct(_get(client, "/api/v2/suggestions", headers))
    assert first["acct"] not in _acct(_get(client, "/api/v1/pln/suggestions", headers))
    again = call(client, "DELETE", f"/api/v1/suggestions/{first['id']}", headers)
    assert again.status_code == 200  # harmless twice
    restored = call(client, "POST", f"/api/v1/pln/suggestions/{first['id']}/restore", headers)
    assert restored.json() == {}
    assert first["acct"] in _acct(_get(client, "/api/v2/suggestions", headers))


def test_dismissing_any_existing_account_is_accepted_but_unknown_or_self_is_not(
    client, community, viewer
):
    headers = bearer(viewer)
    followed = community.math7[5]  # never suggested: the viewer follows them
    response = call(client, "DELETE", f"/api/v1/suggestions/{followed.pk}", headers)
    assert response.status_code == 200
    assert Dismissal.objects.filter(profile=viewer, dismissed=followed).exists()
    for unknown in ("999999999", "nope"):
        missing = call(client, "DELETE", f"/api/v1/suggestions/{unknown}", headers)
        assert missing.status_code == 404
        assert missing.json() == {"error": "Record not found"}
    assert call(client, "DELETE", f"/api/v1/suggestions/{viewer.pk}", headers).status_code == 422


def test_similar_educators_are_open_to_anyone_and_personal_with_a_token(client, community, viewer):
    target = community.math7[0]
    path = f"/api/v1/pln/accounts/{target.pk}/similar"
    anonymous = _get(client, path, {})
    assert anonymous
    assert all(set(item) == SUGGESTION_KEYS for item in anonymous)
    assert "m7_0" not in _acct(anonymous)
    assert all(handle.startswith("m7_") for handle in _acct(anonymous)[:5])
    assert "@m7_0" in anonymous[0]["reason"]
    assert {"m7_6", "m7_7"} & set(_acct(anonymous))
    personal = _acct(_get(client, path, bearer(viewer)))
    assert not {"m7_5", "m7_6", "m7_7", "newbie"} & set(personal)
    assert len(_get(client, f"{path}?limit=2", {})) == 2
    assert client.get(f"{path}?limit=81").status_code == 422


def test_similar_answers_404_for_an_unknown_account_or_one_on_the_other_side_of_a_block(
    client, community, viewer
):
    headers = bearer(viewer)
    assert client.get("/api/v1/pln/accounts/999999999/similar", **headers).status_code == 404
    blocker = community.math7[9]
    block_create(actor=blocker, target=viewer)
    response = client.get(f"/api/v1/pln/accounts/{blocker.pk}/similar", **headers)
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    # Without the token it is an ordinary public profile.
    assert client.get(f"/api/v1/pln/accounts/{blocker.pk}/similar").status_code == 200


def test_list_suggestions_come_from_the_list_and_another_persons_list_is_404(
    client, community, viewer
):
    mentors = purpose_list_create(actor=viewer, title="Mentors", purpose="mentorship")
    purpose_list_add_accounts(actor=viewer, list_id=mentors.pk, profile_ids=[community.math7[5].pk])
    items = _get(client, f"/api/v1/pln/lists/{mentors.pk}/suggestions", bearer(viewer))
    assert items
    assert all(set(item) == SUGGESTION_KEYS for item in items)
    assert "m7_5" not in _acct(items)
    assert set(_acct(items)[:2]) == {"m7_0", "m7_1"}
    other = make_profile("other")
    response = client.get(f"/api/v1/pln/lists/{mentors.pk}/suggestions", **bearer(other))
    assert response.status_code == 404
    assert client.get("/api/v1/pln/lists/nope/suggestions", **bearer(viewer)).status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_number_of_suggestions(client, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(viewer)
    _get(client, "/api/v2/suggestions?limit=1", headers)  # this worker loads the snapshot

    def cost(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(_get(client, f"/api/v2/suggestions?limit={limit}", headers)) == limit
        return len(captured.captured_queries)

    assert cost(20) == cost(2)
