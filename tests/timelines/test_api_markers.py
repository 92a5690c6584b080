"""`/api/v1/markers`: saving and reading read positions, in Mastodon's shape, from JSON and
form bodies; unknown timelines and ids that are not ids refused."""

from __future__ import annotations

import pytest

from staffroom.timelines.models import Marker
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

PATH = "/api/v1/markers"


def test_markers_round_trip_with_versions(client, ada):
    headers = bearer(ada)
    assert client.get(f"{PATH}?timeline[]=home", **headers).json() == {}
    saved = call(client, "POST", PATH, headers, {"home": {"last_read_id": "109000000000000001"}})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert set(body) == {"home"}
    assert body["home"]["last_read_id"] == "109000000000000001"
    assert body["home"]["version"] == 0
    assert body["home"]["updated_at"].endswith("Z")
    again = call(client, "POST", PATH, headers, {"home": {"last_read_id": 109000000000000002}})
    assert again.json()["home"] == {
        **again.json()["home"],
        "last_read_id": "109000000000000002",
        "version": 1,
    }
    both = client.get(f"{PATH}?timeline[]=home&timeline[]=notifications", **headers)
    assert both.json() == {"home": again.json()["home"]}
    assert client.get(f"{PATH}?timeline[]=notifications", **headers).json() == {}
    assert client.get(PATH, **headers).json() == {}
    assert client.get(f"{PATH}?timeline[]=bogus&timeline[]=home", **headers).json() == {
        "home": again.json()["home"]
    }


def test_markers_from_a_form_body_both_timelines(client, ada):
    response = client.post(
        PATH,
        "home[last_read_id]=101&notifications[last_read_id]=202",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert {name: marker["last_read_id"] for name, marker in body.items()} == {
        "home": "101",
        "notifications": "202",
    }
    assert set(
        client.get(f"{PATH}?timeline[]=home&timeline[]=notifications", **bearer(ada)).json()
    ) == {
        "home",
        "notifications",
    }


def test_markers_are_each_teachers_own(client, ada):
    call(client, "POST", PATH, bearer(ada), {"home": {"last_read_id": "5"}})
    bo = make_profile("bo")
    assert client.get(f"{PATH}?timeline[]=home", **bearer(bo)).json() == {}


@pytest.mark.parametrize(
    "body",
    [
        {"bogus": {"last_read_id": "5"}},
        {"home": {"last_read_id": "5"}, "bogus": {"last_read_id": "5"}},
        {"home": {"last_read_id": "not an id"}},
        {"home": {"last_read_id": None}},
        {"home": {}},
    ],
)
def test_markers_refuse_unknown_timelines_and_bad_ids_saving_nothing(client, ada, body):
    response = call(client, "POST", PATH, bearer(ada), body)
    assert response.status_code == 422, response.content
    assert "error" in response.json()
    assert not Marker.objects.filter(owner=ada).exists()


def test_markers_scopes(client, ada):
    read_only = bearer(ada, "read:statuses")
    assert client.get(f"{PATH}?timeline[]=home", **read_only).status_code == 200
    refused = call(client, "POST", PATH, read_only, {"home": {"last_read_id": "5"}})
    assert refused.status_code == 403
    writer = bearer(ada, "write:statuses")
    assert call(client, "POST", PATH, writer, {"home": {"last_read_id": "5"}}).status_code == 200
    assert client.get(PATH).status_code == 401
