"""`/api/v1/preferences`: Mastodon's defaults, for a token with read:accounts."""

import pytest

from staffroom.oauth.services import personal_token_create
from tests.factories import make_user


def bearer(user, scopes):
    raw = personal_token_create(user=user, scopes=scopes).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", ["read", "read:accounts"])
def test_preferences_are_mastodons_defaults(client, scopes):
    response = client.get("/api/v1/preferences", **bearer(make_user(), scopes))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }


@pytest.mark.django_db
def test_preferences_need_a_token(client):
    response = client.get("/api/v1/preferences/")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.django_db
def test_preferences_need_read_accounts(client):
    response = client.get("/api/v1/preferences", **bearer(make_user(), "read:statuses"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_preferences_schema_uses_mastodons_keys(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["Preferences"]
    assert "posting:default:visibility" in schema["properties"]
