"""The posting defaults: set through update_credentials' `source`, shown in
verify_credentials and /api/v1/preferences, and taken by posts that do not say."""

import json

import pytest

from staffroom.oauth.services import personal_token_create
from staffroom.posts.models import Status
from tests.factories import make_user


@pytest.fixture
def auth(db):
    user = make_user(handle="ada")
    raw = personal_token_create(user=user, scopes="read write").raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _update(client, auth, data, *, as_json=False):
    if as_json:
        return client.patch(
            "/api/v1/accounts/update_credentials",
            data=json.dumps(data),
            content_type="application/json",
            **auth,
        )
    body = "&".join(f"{key}={value}" for key, value in data.items())
    return client.patch(
        "/api/v1/accounts/update_credentials",
        data=body,
        content_type="application/x-www-form-urlencoded",
        **auth,
    )


@pytest.mark.django_db
def test_source_fields_are_stored_and_shown_everywhere(client, auth):
    response = _update(
        client,
        auth,
        {"source[privacy]": "private", "source[sensitive]": "true", "source[language]": "de"},
    )
    assert response.status_code == 200, response.content
    source = response.json()["source"]
    assert (source["privacy"], source["sensitive"], source["language"]) == ("private", True, "de")
    again = client.get("/api/v1/accounts/verify_credentials", **auth).json()["source"]
    assert (again["privacy"], again["sensitive"], again["language"]) == ("private", True, "de")
    preferences = client.get("/api/v1/preferences", **auth).json()
    assert preferences["posting:default:visibility"] == "private"
    assert preferences["posting:default:sensitive"] is True
    assert preferences["posting:default:language"] == "de"


@pytest.mark.django_db
def test_source_as_json_changes_only_what_is_sent(client, auth):
    _update(client, auth, {"source": {"privacy": "unlisted", "language": "fr"}}, as_json=True)
    source = _update(client, auth, {"source": {"sensitive": True}}, as_json=True).json()["source"]
    assert (source["privacy"], source["sensitive"], source["language"]) == ("unlisted", True, "fr")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source",
    [
        {"privacy": "everyone"},
        {"language": "not a language"},
        {"privacy": "direct", "language": "??"},
    ],
)
def test_wrong_defaults_are_refused_and_change_nothing(client, auth, source):
    payload = {"display_name": "Changed", "source": source}
    response = _update(client, auth, payload, as_json=True)
    assert response.status_code == 422
    account = client.get("/api/v1/accounts/verify_credentials", **auth).json()
    assert account["display_name"] != "Changed"
    assert account["source"]["privacy"] == "public"


@pytest.mark.django_db
def test_a_post_without_visibility_sensitivity_or_language_takes_the_defaults(client, auth):
    _update(
        client,
        auth,
        {"source": {"privacy": "private", "sensitive": True, "language": "de"}},
        as_json=True,
    )
    response = client.post("/api/v1/statuses", data={"status": "Guten Morgen"}, **auth)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["visibility"], body["sensitive"], body["language"]) == ("private", True, "de")
    stored = Status.objects.get(pk=body["id"])
    assert stored.visibility == "followers"


@pytest.mark.django_db
def test_what_a_post_says_wins_over_the_defaults(client, auth):
    _update(
        client,
        auth,
        {"source": {"privacy": "private", "sensitive": True, "language": "de"}},
        as_json=True,
    )
    response = client.post(
        "/api/v1/statuses",
        data={"status": "Hello", "visibility": "public", "sensitive": "false", "language": "en"},
        **auth,
    )
    body = response.json()
    assert (body["visibility"], body["sensitive"], body["language"]) == ("public", False, "en")


@pytest.mark.django_db
def test_a_pln_refinement_alone_is_not_overridden_by_the_default(client, auth):
    _update(client, auth, {"source": {"privacy": "unlisted"}}, as_json=True)
    response = client.post(
        "/api/v1/statuses",
        data=json.dumps({"status": "For my connections", "pln": {"visibility": "connections"}}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert Status.objects.get(pk=response.json()["id"]).visibility == "connections"


@pytest.mark.django_db
def test_hide_collections_can_be_set_through_update_credentials(client, auth):
    response = _update(client, auth, {"hide_collections": True}, as_json=True)
    assert response.status_code == 200, response.content
    assert response.json()["hide_collections"] is True
    assert response.json()["source"]["hide_collections"] is True
    again = _update(client, auth, {"hide_collections": "false"})
    assert again.json()["hide_collections"] is False
