"""`/api/v1/lists`: Mastodon's list routes over purpose lists."""

from __future__ import annotations

import pytest

from staffroom.graph.models import PurposeList, PurposeListMember
from staffroom.graph.services import follow_create, purpose_list_create
from tests.factories import make_profile, make_profiles
from tests.graph.test_api_helpers import bearer, call, link_params

LIST_KEYS = {"id", "title", "replies_policy", "exclusive", "pln"}


@pytest.mark.django_db
def test_api_list_crud(client, ada):
    headers = bearer(ada)
    created = call(
        client,
        "POST",
        "/api/v1/lists",
        headers,
        {"title": " Math  resources ", "pln": {"purpose": "resources"}},
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert set(body) == LIST_KEYS
    assert body["title"] == "Math resources"
    assert body["replies_policy"] == "list"
    assert body["exclusive"] is False
    assert body["pln"] == {"purpose": "resources"}
    path = f"/api/v1/lists/{body['id']}"
    assert client.get(path, **headers).json() == body
    updated = call(client, "PUT", path, headers, {"title": "Maths", "exclusive": True}).json()
    assert updated["title"] == "Maths"
    assert updated["exclusive"] is True
    assert updated["pln"]["purpose"] == "resources"
    assert [item["id"] for item in client.get("/api/v1/lists", **headers).json()] == [body["id"]]
    assert call(client, "DELETE", path, headers).json() == {}
    assert not PurposeList.objects.exists()
    assert client.get(path, **headers).status_code == 404


@pytest.mark.django_db
def test_api_list_create_from_a_form_with_a_plain_purpose(client, ada):
    response = client.post(
        "/api/v1/lists",
        "title=Mentors&purpose=mentorship&replies_policy=none",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.json()["pln"]["purpose"] == "mentorship"
    assert response.json()["replies_policy"] == "none"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"title": "  "}, {"title": "x" * 300}, {"title": "A", "replies_policy": "all"},
     {"title": "A", "purpose": "gossip"}, {"title": "A", "exclusive": "maybe"}],
)  # fmt: skip
def test_api_list_create_refuses_bad_input_with_422(client, ada, body):
    assert call(client, "POST", "/api/v1/lists", bearer(ada), body).status_code == 422
    assert not PurposeList.objects.exists()


@pytest.mark.django_db
def test_api_another_persons_list_is_404_everywhere(client, ada, bo):
    """SECURITY-PLAN A-7."""
    follow_create(actor=ada, target=bo)
    theirs = purpose_list_create(actor=bo, title="Private")
    headers = bearer(ada)
    path = f"/api/v1/lists/{theirs.pk}"
    assert client.get(path, **headers).status_code == 404
    assert call(client, "PUT", path, headers, {"title": "Mine"}).status_code == 404
    assert call(client, "DELETE", path, headers).status_code == 404
    assert client.get(f"{path}/accounts", **headers).status_code == 404
    add = call(client, "POST", f"{path}/accounts", headers, {"account_ids": [str(bo.pk)]})
    assert add.status_code == 404
    assert PurposeList.objects.get().title == "Private"
    assert not PurposeListMember.objects.exists()


@pytest.mark.django_db
def test_api_list_accounts_add_page_and_remove(client, ada):
    headers = bearer(ada)
    listed = purpose_list_create(actor=ada, title="Colleagues")
    people = make_profiles(4, "peer")
    for person in people:
        follow_create(actor=ada, target=person)
    path = f"/api/v1/lists/{listed.pk}/accounts"
    ids = [str(person.pk) for person in people]
    assert call(client, "POST", path, headers, {"account_ids": ids}).json() == {}
    page = client.get(f"{path}?limit=3", **headers)
    assert [a["username"] for a in page.json()] == ["peer3", "peer2", "peer1"]
    rest = client.get(f"{path}?{link_params(page)['next']}", **headers)
    assert [a["username"] for a in rest.json()] == ["peer0"]
    assert call(client, "DELETE", path, headers, {"account_ids": ids[:2]}).json() == {}
    assert PurposeListMember.objects.count() == 2


@pytest.mark.django_db
def test_api_list_accounts_take_json_numbers(client, ada, bo):
    follow_create(actor=ada, target=bo)
    listed = purpose_list_create(actor=ada, title="Colleagues")
    path = f"/api/v1/lists/{listed.pk}/accounts"
    assert call(client, "POST", path, bearer(ada), {"account_ids": [bo.pk]}).status_code == 200
    assert PurposeListMember.objects.filter(list=listed, profile=bo).exists()


@pytest.mark.django_db
def test_api_list_accounts_form_encoded_ids(client, ada, bo):
    follow_create(actor=ada, target=bo)
    listed = purpose_list_create(actor=ada, title="Colleagues")
    response = client.post(
        f"/api/v1/lists/{listed.pk}/accounts",
        f"account_ids[]={bo.pk}",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.status_code == 200
    assert PurposeListMember.objects.filter(list=listed, profile=bo).exists()


@pytest.mark.django_db
def test_api_list_accounts_not_followed_is_422_and_nothing_changes(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    listed = purpose_list_create(actor=ada, title="Colleagues")
    body = {"account_ids": [str(bo.pk), str(cy.pk)]}
    response = call(client, "POST", f"/api/v1/lists/{listed.pk}/accounts", bearer(ada), body)
    assert response.status_code == 422
    assert not PurposeListMember.objects.exists()


@pytest.mark.django_db
def test_api_list_accounts_10000_ids_is_422(client, ada):
    listed = purpose_list_create(actor=ada, title="Colleagues")
    body = {"account_ids": [str(n) for n in range(1, 10_001)]}
    response = call(client, "POST", f"/api/v1/lists/{listed.pk}/accounts", bearer(ada), body)
    assert response.status_code == 422
    assert "error" in response.json()
    assert not PurposeListMember.objects.exists()


@pytest.mark.django_db
def test_api_lists_scopes(client, ada):
    listed = purpose_list_create(actor=ada, title="Colleagues")
    assert client.get("/api/v1/lists", **bearer(ada, "read:follows")).status_code == 403
    create = call(client, "POST", "/api/v1/lists", bearer(ada, "read:lists"), {"title": "A"})
    assert create.status_code == 403
    assert client.get(f"/api/v1/lists/{listed.pk}", **bearer(ada, "read:lists")).status_code == 200


@pytest.mark.django_db
def test_api_lists_query_budget(client, ada, django_assert_max_num_queries):
    listed = purpose_list_create(actor=ada, title="Colleagues")
    for n in range(10):
        purpose_list_create(actor=ada, title=f"List {n}")
        person = make_profile(f"member{n}")
        follow_create(actor=ada, target=person, purposes=[listed.pk])
    headers = bearer(ada)
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/lists", **headers).json()) == 11
    with django_assert_max_num_queries(8):
        members = client.get(f"/api/v1/lists/{listed.pk}/accounts", **headers).json()
    assert len(members) == 10
    assert members[0]["followers_count"] == 1
