"""`/api/v1/pln/` graph routes: connections, the purposes of a follow, suggested lists."""

from __future__ import annotations

import pytest

from staffroom.graph.models import Connection, Follow, PurposeList, PurposeListMember
from staffroom.graph.services import (
    block_create,
    connection_ask,
    follow_create,
    purpose_list_create,
)
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer, call, link_params


@pytest.mark.django_db
def test_api_connection_ask_accept_end(client, ada, bo):
    asked = call(client, "POST", f"/api/v1/pln/connections/{bo.pk}", bearer(ada)).json()
    assert asked["pln"]["connection_requested"] is True
    assert asked["following"] is False
    incoming = client.get("/api/v1/pln/connections?state=asked", **bearer(bo)).json()
    assert [(c["direction"], c["account"]["username"]) for c in incoming] == [("incoming", "ada")]
    accepted = call(client, "POST", f"/api/v1/pln/connections/{ada.pk}/accept", bearer(bo))
    body = accepted.json()
    assert body["pln"]["connected"] is True
    assert body["following"] is True
    assert body["followed_by"] is True
    listed = client.get("/api/v1/pln/connections", **bearer(ada)).json()
    assert listed[0]["state"] == "accepted"
    assert listed[0]["account"]["username"] == "bo"
    assert listed[0]["accepted_at"] is not None
    ended = call(client, "DELETE", f"/api/v1/pln/connections/{bo.pk}", bearer(ada)).json()
    assert ended["pln"]["connected"] is False
    assert ended["following"] is True  # follows are kept
    assert not Connection.objects.exists()


@pytest.mark.django_db
def test_api_connection_decline_and_missing_ask(client, ada, bo):
    connection_ask(actor=ada, target=bo)
    path = f"/api/v1/pln/connections/{ada.pk}"
    assert (
        call(client, "POST", f"{path}/decline", bearer(bo)).json()["pln"]["connection_requested_by"]
        is False
    )
    assert call(client, "POST", f"{path}/decline", bearer(bo)).status_code == 404
    assert call(client, "POST", f"{path}/accept", bearer(bo)).status_code == 404


@pytest.mark.django_db
def test_api_connection_bad_targets(client, ada, bo):
    assert call(client, "POST", f"/api/v1/pln/connections/{ada.pk}", bearer(ada)).status_code == 422
    assert call(client, "POST", "/api/v1/pln/connections/424242", bearer(ada)).status_code == 404
    block_create(actor=bo, target=ada)
    assert call(client, "POST", f"/api/v1/pln/connections/{bo.pk}", bearer(ada)).status_code == 404
    assert not Connection.objects.exists()


@pytest.mark.django_db
def test_api_connections_scopes_and_pages(client, ada, django_assert_max_num_queries):
    for n in range(6):
        connection_ask(actor=make_profile(f"asker{n}"), target=ada)
    headers = bearer(ada, "read:follows")
    with django_assert_max_num_queries(7):
        page = client.get("/api/v1/pln/connections?state=asked&limit=4", **headers)
    assert len(page.json()) == 4
    assert link_params(page)["next"].startswith("state=asked&limit=4&max_id=")
    rest = client.get(f"/api/v1/pln/connections?{link_params(page)['next']}", **headers)
    assert [c["account"]["username"] for c in rest.json()] == ["asker1", "asker0"]
    assert client.get("/api/v1/pln/connections?state=odd", **headers).status_code == 422
    assert client.get("/api/v1/pln/connections", **bearer(ada, "read:lists")).status_code == 403
    ask = call(client, "POST", f"/api/v1/pln/connections/{ada.pk}", bearer(ada, "read"))
    assert ask.status_code == 403


@pytest.mark.django_db
def test_api_follow_purposes_set_exactly(client, ada, bo):
    first = purpose_list_create(actor=ada, title="Inspiration", purpose="inspiration")
    second = purpose_list_create(actor=ada, title="Classroom management", purpose="practices")
    follow_create(actor=ada, target=bo, purposes=[first.pk])
    path = f"/api/v1/pln/follows/{bo.pk}/purposes"
    body = call(client, "PUT", path, bearer(ada), {"list_ids": [str(second.pk)]}).json()
    assert body["pln"]["purposes"] == [str(second.pk)]
    assert list(PurposeListMember.objects.values_list("list_id", flat=True)) == [second.pk]


@pytest.mark.django_db
def test_api_follow_purposes_bad_input(client, ada, bo, cy):
    theirs = purpose_list_create(actor=cy, title="Theirs")
    mine = purpose_list_create(actor=ada, title="Mine")
    path = f"/api/v1/pln/follows/{bo.pk}/purposes"
    # not following: 422; another person's list: 404; junk: 422
    assert call(client, "PUT", path, bearer(ada), {"list_ids": [str(mine.pk)]}).status_code == 422
    follow_create(actor=ada, target=bo)
    assert call(client, "PUT", path, bearer(ada), {"list_ids": [str(theirs.pk)]}).status_code == 404
    assert call(client, "PUT", path, bearer(ada), {"list_ids": "x"}).status_code == 422
    assert not PurposeListMember.objects.exists()
    assert Follow.objects.count() == 1


@pytest.mark.django_db
def test_api_purpose_list_defaults_suggest_then_create(client, ada):
    type(ada).objects.filter(pk=ada.pk).update(goal_purposes=["practices", "inspiration"])
    suggested = client.get("/api/v1/pln/purpose_lists/defaults", **bearer(ada)).json()
    assert suggested == [
        {"title": "Classroom management", "purpose": "practices"},
        {"title": "Inspiration", "purpose": "inspiration"},
    ]
    created = call(client, "POST", "/api/v1/pln/purpose_lists/defaults", bearer(ada)).json()
    assert [item["title"] for item in created] == ["Classroom management", "Inspiration"]
    assert created[0]["pln"]["purpose"] == "practices"
    again = call(client, "POST", "/api/v1/pln/purpose_lists/defaults", bearer(ada)).json()
    assert again == []
    assert PurposeList.objects.count() == 2
    assert client.get("/api/v1/pln/purpose_lists/defaults", **bearer(ada)).json() == []
