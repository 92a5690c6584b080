import re

import pytest

from staffroom.oauth.models import OAuthApplication
from staffroom.oauth.services import application_register, personal_token_create
from tests.factories import make_user


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_applications_page_lists_authorized_apps_and_revokes_them(client_for):
    user = make_user(handle="ana")
    app = application_register(name="Pocket PLN", redirect_uris=None, scopes="read write")
    raw = personal_token_create(user=user, scopes="read", application=app.application).raw_token
    client = client_for(user)
    page = client.get("/settings/applications").content.decode()
    assert "Pocket PLN" in page
    assert "<code>read</code>" in page
    response = client.post(f"/settings/applications/{app.application.pk}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/apps/verify_credentials", **bearer(raw)).status_code == 401
    assert (
        "No application can use your account"
        in client.get("/settings/applications").content.decode()
    )


@pytest.mark.django_db
def test_revoking_another_teachers_app_changes_nothing(client_for):
    owner = make_user(handle="app_owner")
    app = application_register(name="Theirs", redirect_uris=None, scopes="read")
    raw = personal_token_create(user=owner, scopes="read", application=app.application).raw_token
    client = client_for(make_user(handle="intruder"))
    response = client.post(f"/settings/applications/{app.application.pk}/revoke", follow=True)
    assert "No such authorized application" in response.content.decode()
    assert client.get("/api/v1/apps/verify_credentials", **bearer(raw)).status_code == 200


@pytest.mark.django_db
def test_development_section_creates_an_app_and_shows_a_working_token_once(client_for):
    user = make_user(handle="dev")
    client = client_for(user)
    response = client.post(
        "/settings/development",
        {"name": "Gradebook sync", "scopes": ["read", "write"]},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain == [("/settings/development", 302)]
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    match = re.search(r'id="new-token"[^>]*value="([^"]+)"', response.content.decode())
    assert match is not None
    token = match.group(1)
    app = OAuthApplication.objects.get(user=user)
    assert app.name == "Gradebook sync"
    verified = client.get("/api/v1/apps/verify_credentials", **bearer(token))
    assert verified.json()["name"] == "Gradebook sync"
    again = client.get("/settings/development").content.decode()
    assert token not in again
    assert "Gradebook sync" in again


@pytest.mark.django_db
def test_development_form_needs_a_name_and_a_scope(client_for):
    client = client_for(make_user(handle="dev"))
    response = client.post("/settings/development", {"name": "", "scopes": []})
    assert "This field is required" in response.content.decode()
    assert not OAuthApplication.objects.exists()


@pytest.mark.django_db
def test_deleting_own_app_revokes_its_tokens_and_others_cannot(client_for):
    """SECURITY-PLAN A-6."""
    user = make_user(handle="dev")
    app = application_register(name="Mine", redirect_uris=None, scopes="read", owner=user)
    raw = personal_token_create(user=user, scopes="read", application=app.application).raw_token
    other = client_for(make_user(handle="other"))
    other.post(f"/settings/development/{app.application.pk}/delete")
    assert OAuthApplication.objects.filter(pk=app.application.pk).exists()
    mine = client_for(user)
    mine.post(f"/settings/development/{app.application.pk}/delete")
    assert not OAuthApplication.objects.filter(pk=app.application.pk).exists()
    assert mine.get("/api/v1/apps/verify_credentials", **bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_settings_navigation_lists_the_new_sections(client_for):
    page = client_for(make_user(handle="nav")).get("/settings").content.decode()
    assert "/settings/applications" in page
    assert "/settings/development" in page
